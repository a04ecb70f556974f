package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/exit"
)

// finishTree applies the rules every command shares, once the whole tree is
// built, so that a group or command added later gets them without asking.
func finishTree(root *cobra.Command) {
	walk(root, func(c *cobra.Command) {
		if c.HasSubCommands() && !c.Runnable() {
			refuseUnknownSubcommands(c)
		}
		if !c.HasSubCommands() && c.ValidArgsFunction == nil && len(c.ValidArgs) == 0 && !takesFiles(c) {
			// IDs, keys and names: offering the directory's files
			// would only mislead.
			c.ValidArgsFunction = cobra.NoFileCompletions
		}
	})
}

func walk(c *cobra.Command, fn func(*cobra.Command)) {
	fn(c)
	for _, sub := range c.Commands() {
		walk(sub, fn)
	}
}

// refuseUnknownSubcommands makes a group behave like the root: a mistyped
// subcommand is a usage error (exit 2) with cobra's suggestions, not the
// group's help and exit 0, which a script would take for success. Without
// arguments the group still shows its help.
func refuseUnknownSubcommands(group *cobra.Command) {
	group.Args = cobra.ArbitraryArgs
	// Runnable now, the group would show "diagctl logs <command> [flags]"
	// above "diagctl logs [command]": keep the one line it had.
	group.SetUsageTemplate(strings.Replace(group.UsageTemplate(),
		"{{if .Runnable}}", "{{if and .Runnable (not .HasAvailableSubCommands)}}", 1))
	group.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return cmd.Help()
		}
		return &exit.FlagError{Err: fmt.Errorf("unknown command %q for %q%s",
			args[0], cmd.CommandPath(), suggestions(cmd, args[0]))}
	}
}

// suggestions is cobra's "Did you mean this?" block (cobra keeps its own
// formatter private).
func suggestions(cmd *cobra.Command, typed string) string {
	if cmd.DisableSuggestions {
		return ""
	}
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2
	}
	s := cmd.SuggestionsFor(typed)
	if len(s) == 0 {
		return ""
	}
	return "\n\nDid you mean this?\n\t" + strings.Join(s, "\n\t")
}

// takesFiles tells from a command's usage line whether its arguments are
// files or directories ("keys FILE|DIR...").
func takesFiles(c *cobra.Command) bool {
	_, args, _ := strings.Cut(c.Use, " ")
	for _, w := range []string{"FILE", "DIR", "PATH"} {
		if strings.Contains(args, w) {
			return true
		}
	}
	return false
}
