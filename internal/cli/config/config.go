// Package config is the `diagctl config` command group.
package config

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/config"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/iostreams"
	"github.com/diagctl/diagctl/internal/prompt"
)

// Note is a line `config list` adds after the table: what the settings
// add up to for one service (which credential it will use, say).
type Note func(cfg *config.Config) string

// NewCmdConfig builds `diagctl config` and its subcommands.
func NewCmdConfig(f *cmdutil.Factory, notes ...Note) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config <command>",
		Short: "Show and change settings in the config file",
		Example: `  diagctl config list
  diagctl config set sandbox.server sandbox.lab.example
  diagctl --profile prod config set logs.region cn-north-4
  diagctl config get logs.region
  diagctl config unset sandbox.insecure`,
		Long: `Show and change settings in the config file.

Settings resolve in this order: flag, environment variable, profiles.<profile>.<key>
in the config file, the file's top-level <key>, the default. With --profile, set and
unset change the profile's section. 'diagctl config path' prints where the file
is; it is created by the first 'config set'.

Keys:
` + keyHelp() + "\n\n" + exit.StatusHelp,
	}
	cmd.AddCommand(newCmdPath(f), newCmdList(f, notes), newCmdGet(f), newCmdSet(f), newCmdUnset(f))
	return cmd
}

func keyHelp() string {
	var b strings.Builder
	for _, s := range config.Settings {
		fmt.Fprintf(&b, "  %-22s %s (env %s)\n", s.Key, s.Help, strings.Join(s.Env, ", "))
	}
	return strings.TrimRight(b.String(), "\n")
}

// completeKeys completes the KEY of get and unset; completeKeyValue the
// KEY and then the VALUE of set, for keys with a fixed set of values.
// Neither reads the config file.
func completeKeys(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return keyCompletions(), cobra.ShellCompDirectiveNoFileComp
}

func completeKeyValue(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	switch len(args) {
	case 0:
		return keyCompletions(), cobra.ShellCompDirectiveNoFileComp
	case 1:
		if s, ok := config.Lookup(args[0]); ok {
			return s.Values, cobra.ShellCompDirectiveNoFileComp
		}
	}
	return nil, cobra.ShellCompDirectiveNoFileComp
}

func keyCompletions() []string {
	out := make([]string, len(config.Settings))
	for i, s := range config.Settings {
		out[i] = s.Key + "\t" + s.Help
	}
	return out
}

func knownKey(key string) (config.Setting, error) {
	s, ok := config.Lookup(key)
	if !ok {
		return s, exit.UsageErrorf("run 'diagctl config list' to see the keys", "unknown config key %q", key)
	}
	return s, nil
}

func newCmdPath(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "path",
		Short: "Print the config file's path",
		Long: `Print the config file's path: --config, else DIAGCTL_CONFIG, else
$XDG_CONFIG_HOME/diagctl/config.yaml (~/.config/diagctl/config.yaml). The file
need not exist yet.`,
		Example: `  diagctl config path
  $EDITOR "$(diagctl config path)"`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintln(f.IOStreams.Out, f.ConfigPath())
			return nil
		},
	}
}

type listEntry struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
	Source string `json:"source"`
}

func shown(v config.Value) string {
	if v.Secret && v.Value != "" {
		return httpx.Redacted
	}
	return v.Value
}

func newCmdList(f *cmdutil.Factory, notes []Note) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List every setting, its value and where it comes from (secrets redacted)",
		Long: `List every setting, its value and where it comes from (secrets redacted).

After the table, a line per service says what the settings add up to, such as
the credential 'logs download' will use (not with --json). A config file that
other users can read has its secrets ignored, with a warning and the chmod that
fixes it.`,
		Example: `  diagctl config list
  diagctl --profile prod config list
  diagctl --json config list | jq -r '.[] | select(.source != "default") | .key'`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := f.Config()
			if err != nil {
				return err
			}
			for _, k := range cfg.UnknownKeys() {
				fmt.Fprintf(f.IOStreams.Info(), "warning: %s: unknown key %q is ignored\n", cfg.Path(), k)
			}
			warnOpenSecrets(f, cfg)
			var entries []listEntry
			for _, v := range cfg.List() {
				source := v.Source
				if v.Refused != nil {
					source += " (not used: file readable by others)"
				}
				entries = append(entries, listEntry{Key: v.Key, Value: shown(v), Source: source})
			}
			if f.Globals.JSON {
				return writeJSON(f.IOStreams.Out, entries)
			}
			tab := f.IOStreams.NewTable("KEY", "VALUE", "SOURCE")
			for _, e := range entries {
				tab.Row(e.Key, dash(e.Value), dash(e.Source))
			}
			if err := tab.Print(); err != nil {
				return err
			}
			for _, note := range notes {
				if _, err := fmt.Fprintln(f.IOStreams.Out, note(cfg)); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

// warnOpenSecrets says why the file's secrets are ignored, and how to fix it.
func warnOpenSecrets(f *cmdutil.Factory, cfg *config.Config) {
	if err := cfg.OpenSecretsError(); err != nil {
		fmt.Fprintf(f.IOStreams.Info(), "warning: %v\nhint: %s\n", err, exit.Hint(err))
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func writeJSON(w io.Writer, v any) error { return iostreams.WriteJSON(w, v) }

func newCmdGet(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "get KEY",
		Short: "Print a setting's resolved value (a secret shows as [redacted])",
		Long: `Print a setting's value as a command would resolve it: flag, environment
variable, profiles.<profile>.<key>, the file's top-level <key>, the default. A
secret shows as [redacted]. A key that is not set is an error (exit 1) that
says how to set it; --json prints {"key","value","source"}.`,
		Example: `  diagctl config get sandbox.server
  DIAGCTL_PROFILE=prod diagctl config get logs.region
  diagctl --json config get report-task.server`,
		Args:              cmdutil.ExactArgs(1, "KEY"),
		ValidArgsFunction: completeKeys,
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := knownKey(args[0]); err != nil {
				return err
			}
			cfg, err := f.Config()
			if err != nil {
				return err
			}
			v := cfg.Get(strings.ToLower(args[0]))
			if v.Refused != nil {
				return v.Refused
			}
			if v.Value == "" {
				return exit.Errorf(exit.Failure, howToSet(v.Key), "%s is not set", v.Key)
			}
			if f.Globals.JSON {
				return writeJSON(f.IOStreams.Out, listEntry{Key: v.Key, Value: shown(v), Source: v.Source})
			}
			fmt.Fprintln(f.IOStreams.Out, shown(v))
			return nil
		},
	}
}

// howToSet is the next step for a setting that is not set. A secret is
// never given as a VALUE (set refuses it): it is typed or piped.
func howToSet(key string) string {
	s, _ := config.Lookup(key)
	if s.Secret {
		return fmt.Sprintf("set %s, or store it with 'diagctl config set %s' (type it at the prompt, or pipe it on stdin)", s.Env[0], key)
	}
	return "set it with: diagctl config set " + key + " VALUE"
}

func newCmdSet(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "set KEY [VALUE]",
		Short: "Write a setting to the config file (mode 0600)",
		Long: `Write a setting to the config file, which is created with mode 0600.

A secret (sandbox.password, logs.token, logs.iam-password, logs.secret-key,
symbols.token, report-task.api-key) is never taken from the command line, where it would stay in the shell history: leave VALUE
out and type it at the prompt, or pipe it on stdin.`,
		Example: `  diagctl config set sandbox.server sandbox.lab.example
  diagctl --profile prod config set logs.region cn-north-4
  printenv LOGS_TOKEN | diagctl config set logs.token`,
		Args:              cmdutil.RangeArgs(1, 2, "KEY [VALUE]"),
		ValidArgsFunction: completeKeyValue,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := knownKey(args[0])
			if err != nil {
				return err
			}
			if s.Secret && len(args) == 2 {
				return exit.UsageErrorf("run 'diagctl config set "+s.Key+"' without a value and type it, or pipe it on stdin",
					"%s is a secret: it is not taken from the command line", s.Key)
			}
			if !s.Secret && len(args) == 1 {
				return exit.FlagErrorf("config set %s needs a VALUE", s.Key)
			}
			cfg, err := f.ConfigForEdit(true)
			if err != nil {
				return err
			}
			value := ""
			if len(args) == 2 {
				value = args[1]
			} else if value, err = newSecret(f, s.Key); err != nil {
				return err
			}
			if strings.HasSuffix(s.Key, ".insecure") {
				if _, err := config.ParseBool(value); err != nil {
					return exit.UsageErrorf("use true or false", "%s must be true or false, not %q", s.Key, value)
				}
			} else if s.Values != nil && !slices.Contains(s.Values, value) {
				return exit.UsageErrorf("use one of: "+strings.Join(s.Values, ", "), "%s must be one of %s, not %q", s.Key, strings.Join(s.Values, ", "), value)
			}
			if err := cfg.Set(s.Key, value); err != nil {
				return err
			}
			fmt.Fprintf(f.IOStreams.Info(), "set %s in %s\n", s.Key, where(cfg))
			return nil
		},
	}
}

// newSecret reads the new value of a secret: one line of stdin when it is
// not a terminal, else a no-echo prompt. Never the environment or the file,
// as f.Secret would: those hold the old value, and set would change nothing.
func newSecret(f *cmdutil.Factory, key string) (string, error) {
	ios := f.IOStreams
	next := "pipe it on stdin, e.g. printenv NAME | diagctl config set " + key
	var v string
	var err error
	switch {
	case !ios.IsStdinTTY():
		v, err = prompt.ReadNonEmptyLine(ios.In)
		if errors.Is(err, prompt.ErrNoInput) || errors.Is(err, prompt.ErrEmptyLine) {
			return "", exit.UsageErrorf(next, "no value given for %s: %v", key, err)
		}
		if err != nil {
			return "", exit.Wrapf(err, exit.Failure, "", "cannot read %s from stdin", key)
		}
	case f.Prompter != nil && f.Prompter.CanPrompt():
		ctx := f.Context
		if ctx == nil {
			ctx = context.Background()
		}
		if v, err = f.Prompter.Secret(ctx, key+": "); err != nil {
			return "", err
		}
	default:
		return "", exit.UsageErrorf(next, "no terminal to type %s at", key)
	}
	if v == "" {
		return "", exit.UsageErrorf(next, "no value given for %s", key)
	}
	return v, nil
}

// where names the file and, when one is being edited, the profile.
func where(cfg *config.Config) string {
	if cfg.Profile() != "" {
		return cfg.Path() + " (profile " + cfg.Profile() + ")"
	}
	return cfg.Path()
}

func newCmdUnset(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "unset KEY",
		Short: "Remove a setting from the config file",
		Long: `Remove a setting from the config file (from profiles.<profile> with --profile).
The file is written back with mode 0600. Environment variables and flags are
not affected.`,
		Example: `  diagctl config unset sandbox.insecure
  diagctl --profile prod config unset logs.token`,
		Args:              cmdutil.ExactArgs(1, "KEY"),
		ValidArgsFunction: completeKeys,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := knownKey(args[0])
			if err != nil {
				return err
			}
			cfg, err := f.ConfigForEdit(false)
			if err != nil {
				return err
			}
			removed, err := cfg.Unset(s.Key)
			if err != nil {
				return err
			}
			if !removed {
				fmt.Fprintf(f.IOStreams.Info(), "%s is not set in %s: nothing to remove\n", s.Key, where(cfg))
				return nil
			}
			fmt.Fprintf(f.IOStreams.Info(), "removed %s from %s\n", s.Key, where(cfg))
			return nil
		},
	}
}
