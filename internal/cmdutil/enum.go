package cmdutil

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/exit"
)

// Choice is one value of an enum flag and the line completion shows
// beside it.
type Choice struct {
	Value string
	Help  string
}

// Enum is the set of values a flag takes, declared once: the shell
// completes them (Register) and the command refuses the rest (Check).
type Enum []Choice

// Values are the choices' values, in order.
func (e Enum) Values() []string {
	out := make([]string, len(e))
	for i, c := range e {
		out[i] = c.Value
	}
	return out
}

// Has tells whether v is one of the values.
func (e Enum) Has(v string) bool {
	for _, c := range e {
		if c.Value == v {
			return true
		}
	}
	return false
}

// Check is nil for one of the values, else a usage error (exit 2) that
// lists them: `--fault "explode": use none, slow, drop, 503 or stall`.
func (e Enum) Check(flag, v string) error {
	if e.Has(v) {
		return nil
	}
	return exit.FlagErrorf("--%s %q: use %s", flag, v, e.list())
}

// Fold is the value v names, compared without regard to case (for a
// service that compares its names so: "SKIPIFEXISTS" is skipIfExists),
// else Check's usage error.
func (e Enum) Fold(flag, v string) (string, error) {
	for _, c := range e {
		if strings.EqualFold(c.Value, v) {
			return c.Value, nil
		}
	}
	return "", e.Check(flag, v)
}

// list is "a, b or c".
func (e Enum) list() string {
	v := e.Values()
	if len(v) < 2 {
		return strings.Join(v, "")
	}
	return strings.Join(v[:len(v)-1], ", ") + " or " + v[len(v)-1]
}

// Complete is the candidates that start with typed, each with its help
// after a tab (cobra's form).
func (e Enum) Complete(typed string) []string {
	var out []string
	for _, c := range e {
		if !strings.HasPrefix(c.Value, typed) {
			continue
		}
		if c.Help != "" {
			out = append(out, c.Value+"\t"+c.Help)
		} else {
			out = append(out, c.Value)
		}
	}
	return out
}

// Register makes the shell complete flag (a flag or persistent flag of
// cmd) with the values and their help, and no file names. It reads no
// config, secret or network: completion stays instant and safe.
func (e Enum) Register(cmd *cobra.Command, flag string) {
	err := cmd.RegisterFlagCompletionFunc(flag, func(_ *cobra.Command, _ []string, typed string) ([]string, cobra.ShellCompDirective) {
		return e.Complete(typed), cobra.ShellCompDirectiveNoFileComp
	})
	if err != nil {
		// A flag that does not exist, or a second registration: a bug in
		// the command's construction that every test run would hit.
		panic(err)
	}
}
