package cli

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// TestEveryCommandHasHelp: a one-line summary, a description of what the
// command does and needs, and examples a user can paste, on every command
// a user can reach (cobra's own help command aside).
func TestEveryCommandHasHelp(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	root := NewCmdRoot(&cmdutil.Factory{IOStreams: ios, Globals: &cmdutil.GlobalOptions{}, Getenv: noEnv})
	walk(root, func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" {
			return
		}
		name := c.CommandPath()
		switch {
		case c.Short == "" || strings.Contains(c.Short, "\n") || strings.HasSuffix(c.Short, "."):
			t.Errorf("%s: Short %q is not a one-line summary without a full stop", name, c.Short)
		case strings.TrimSpace(c.Long) == "":
			t.Errorf("%s: no Long description", name)
		case strings.TrimSpace(c.Example) == "":
			t.Errorf("%s: no Example", name)
		}
		for _, line := range strings.Split(c.Example, "\n") {
			line = strings.TrimSpace(line)
			if line != "" && !strings.HasPrefix(line, "#") && !strings.Contains(line, "diagctl") && !strings.HasPrefix(line, "export ") {
				t.Errorf("%s: example line %q runs neither diagctl nor sets a variable", name, line)
			}
		}
	})
}
