package cli

import (
	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/exit"
)

// shells are completion's argument; the scripts in completions/ are these
// generated from the tree.
var shells = cmdutil.Enum{
	{Value: "bash", Help: "bash 4.1+ with the bash-completion package"},
	{Value: "zsh", Help: "zsh"},
	{Value: "fish", Help: "fish"},
	{Value: "powershell", Help: "PowerShell 5 or 7"},
}

// newCmdCompletion replaces cobra's default completion command with one
// page of help (and one reference page) that says how to install each
// script.
func newCmdCompletion() *cobra.Command {
	var noDesc bool
	cmd := &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print the shell completion script for bash, zsh, fish or PowerShell",
		Long: `Print the shell completion script for bash, zsh, fish or PowerShell on stdout.

Completion offers commands, flags, the values of enum flags (--auth,
--create-behavior, --fault, --radar-fault), profile names from the config file
(--profile), config keys and their values (config get, set, unset), and files or
directories where a command takes them. Completing never prompts, reads a secret or opens a connection.
Release archives carry the scripts in completions/.

bash: needs the bash-completion package (apt install bash-completion, dnf install
bash-completion, brew install bash-completion@2), then
  diagctl completion bash > ~/.local/share/bash-completion/completions/diagctl
or, for every user, into /etc/bash_completion.d/diagctl.

zsh: into a directory on $fpath, with compinit enabled in ~/.zshrc
(autoload -U compinit; compinit):
  diagctl completion zsh > "${fpath[1]}/_diagctl"

fish:
  diagctl completion fish > ~/.config/fish/completions/diagctl.fish

PowerShell: add to your profile ($PROFILE):
  diagctl completion powershell | Out-String | Invoke-Expression

Start a new shell afterwards.`,
		Example: `  diagctl completion bash > ~/.local/share/bash-completion/completions/diagctl
  diagctl completion zsh > "${fpath[1]}/_diagctl"
  diagctl completion fish > ~/.config/fish/completions/diagctl.fish
  diagctl completion powershell | Out-String | Invoke-Expression`,
		ValidArgsFunction: func(_ *cobra.Command, args []string, typed string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return shells.Complete(typed), cobra.ShellCompDirectiveNoFileComp
		},
		Args: cobra.MatchAll(cmdutil.ExactArgs(1, "one shell: bash, zsh, fish or powershell"), onlyShells),
		RunE: func(cmd *cobra.Command, args []string) error {
			root, out := cmd.Root(), cmd.OutOrStdout()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(out, !noDesc)
			case "zsh":
				if noDesc {
					return root.GenZshCompletionNoDesc(out)
				}
				return root.GenZshCompletion(out)
			case "fish":
				return root.GenFishCompletion(out, !noDesc)
			default:
				if noDesc {
					return root.GenPowerShellCompletion(out)
				}
				return root.GenPowerShellCompletionWithDesc(out)
			}
		},
	}
	cmd.Flags().BoolVar(&noDesc, "no-descriptions", false, "leave out the descriptions beside the candidates")
	return cmd
}

func onlyShells(cmd *cobra.Command, args []string) error {
	if !shells.Has(args[0]) {
		return exit.FlagErrorf("no completion for shell %q: use bash, zsh, fish or powershell", args[0])
	}
	return nil
}
