// Package logs is the `diagctl logs` command group (Huawei Cloud CodeArts
// Check).
package logs

import (
	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/exit"
)

// NewCmdLogs builds `diagctl logs` with its service settings.
func NewCmdLogs(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "logs <command>",
		Short: "Huawei Cloud CodeArts Check: download sub-job log archives",
		Long: `Huawei Cloud CodeArts Check: download sub-job log archives.

Settings:
  endpoint  --endpoint, DIAGCTL_LOGS_ENDPOINT, logs.endpoint
  region    --region, DIAGCTL_LOGS_REGION, logs.region (https://codearts-check.<region>.myhuaweicloud.com
            when no endpoint is set)
  token     --token-stdin, DIAGCTL_LOGS_TOKEN, logs.token, or a prompt on a terminal (an IAM token,
            the X-Subject-Token of POST https://iam.<region>.myhuaweicloud.com/v3/auth/tokens).
            A terminal line holds at most 4095 bytes: paste longer tokens through
            --token-stdin or DIAGCTL_LOGS_TOKEN, not at the prompt.

` + exit.StatusHelp,
	}
	pf := cmd.PersistentFlags()
	pf.String("endpoint", "", "CodeArts Check endpoint URL (env DIAGCTL_LOGS_ENDPOINT)")
	pf.String("region", "", "region, e.g. cn-north-4 (env DIAGCTL_LOGS_REGION)")
	f.BindFlag("logs.endpoint", pf.Lookup("endpoint"))
	f.BindFlag("logs.region", pf.Lookup("region"))
	_ = cmd.RegisterFlagCompletionFunc("region", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"cn-north-4", "cn-north-1", "cn-east-2", "cn-east-3", "cn-south-1", "la-north-2", "sa-brazil-1", "ap-southeast-3"}, cobra.ShellCompDirectiveNoFileComp
	})
	cmd.AddCommand(NewCmdDownload(f, nil))
	return cmd
}
