package cmdutil

import (
	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/exit"
)

// NoArgs refuses any positional argument with a usage error.
func NoArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return exit.FlagErrorf("%s takes no arguments, got %q", cmd.CommandPath(), args[0])
	}
	return nil
}

// ExactArgs wants exactly n arguments, named in the message.
func ExactArgs(n int, names string) cobra.PositionalArgs {
	return RangeArgs(n, n, names)
}

// RangeArgs wants between min and max arguments.
func RangeArgs(min, max int, names string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) < min:
			return exit.FlagErrorf("%s needs %s", cmd.CommandPath(), names)
		case max >= 0 && len(args) > max:
			return exit.FlagErrorf("%s takes %s, got %d arguments", cmd.CommandPath(), names, len(args))
		}
		return nil
	}
}
