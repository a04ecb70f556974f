package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
)

func noEnv(string) string { return "" }

// Every group, present and future, refuses a mistyped subcommand as the
// root does: exit 2, "unknown command", and a suggestion when one is close.
func TestEveryGroupRefusesUnknownSubcommands(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	root := NewCmdRoot(&cmdutil.Factory{IOStreams: ios, Globals: &cmdutil.GlobalOptions{}, Getenv: noEnv})
	groups := 0
	walk(root, func(c *cobra.Command) {
		if !c.HasSubCommands() {
			return
		}
		groups++
		path := strings.Fields(c.CommandPath())[1:]
		sub := c.Commands()[0].Name()
		typo := sub[:len(sub)-1] // one letter short: close enough to suggest
		for _, tt := range []struct {
			args    []string
			suggest bool
		}{
			{append(append([]string{}, path...), "bogus-subcommand"), false},
			{append(append([]string{}, path...), typo, "ID"), true},
		} {
			ios, _, out, errOut := iostreams.Test()
			code := Run(context.Background(), tt.args, ios, noEnv)
			if code != exit.Usage {
				t.Errorf("diagctl %s: exit %d, want %d", strings.Join(tt.args, " "), code, exit.Usage)
			}
			if !strings.Contains(errOut.String(), "unknown command") {
				t.Errorf("diagctl %s: stderr %q, want unknown command", strings.Join(tt.args, " "), errOut)
			}
			if tt.suggest && !strings.Contains(errOut.String(), "Did you mean this?\n\t"+sub) {
				t.Errorf("diagctl %s: no suggestion of %q in %q", strings.Join(tt.args, " "), sub, errOut)
			}
			if out.Len() != 0 {
				t.Errorf("diagctl %s: stdout %q", strings.Join(tt.args, " "), out)
			}
		}
	})
	if groups < 4 { // root, config, sandbox, logs at least
		t.Fatalf("walked only %d groups", groups)
	}
}

// A group given no argument still shows its help and succeeds.
func TestGroupWithoutArgumentsShowsHelp(t *testing.T) {
	for _, g := range []string{"config", "sandbox", "logs"} {
		ios, _, out, _ := iostreams.Test()
		if code := Run(context.Background(), []string{g}, ios, noEnv); code != exit.OK {
			t.Errorf("diagctl %s: exit %d", g, code)
		}
		if !strings.Contains(out.String(), "Available Commands:") {
			t.Errorf("diagctl %s: no help on stdout: %q", g, out)
		}
		if !strings.Contains(out.String(), "Usage:\n  diagctl "+g+" [command]\n\n") {
			t.Errorf("diagctl %s: usage is not the one line it was: %q", g, out)
		}
	}
}
