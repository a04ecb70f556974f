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
		Short: "Huawei Cloud CodeArts Check: download sub-job log archives, get IAM tokens",
		Example: `  export DIAGCTL_LOGS_REGION=cn-north-4
  printf '%s\n' "$IAM_TOKEN" | diagctl logs download --token-stdin a777ff00d3cf4d369d87066806ae0001
  printenv IAM_PASSWORD | diagctl logs token --iam-domain my-account --iam-user ci-bot --iam-password-stdin`,
		Long: `Huawei Cloud CodeArts Check: download sub-job log archives, get IAM tokens.

CodeArts Check's API (GET /v1/log-file?sub_job_id=...) returns a sub-job's log
archive; it needs the region (or an endpoint) and one of the credentials below.

Three ways to authenticate, the first that is set wins ('diagctl config list'
says which one a download would use):
  1. an IAM token          printf '%s\n' "$TOKEN" | diagctl logs download --token-stdin ID
  2. access key + secret   DIAGCTL_LOGS_ACCESS_KEY=AK; printenv SK | diagctl logs download --secret-key-stdin ID
     key (requests signed)
  3. IAM user + password   DIAGCTL_LOGS_IAM_DOMAIN=ACCOUNT DIAGCTL_LOGS_IAM_USER=USER;
                           printenv PW | diagctl logs token --iam-password-stdin  (cached;
                           downloads use it, and log in themselves when it expires)

Settings:
  endpoint     --endpoint, DIAGCTL_LOGS_ENDPOINT, logs.endpoint
  region       --region, DIAGCTL_LOGS_REGION, logs.region (https://codearts-check.<region>.myhuaweicloud.com
               when no endpoint is set)
  token        --token-stdin, DIAGCTL_LOGS_TOKEN, logs.token, or a prompt on a terminal (an IAM token,
               from 'diagctl logs token' or the X-Subject-Token of IAM's POST /v3/auth/tokens).
               A terminal line holds at most 4095 bytes: paste longer tokens through
               --token-stdin or DIAGCTL_LOGS_TOKEN, not at the prompt.
  access key   DIAGCTL_LOGS_ACCESS_KEY, logs.access-key (AK/SK request signing)
  secret key   --secret-key-stdin, DIAGCTL_LOGS_SECRET_KEY, logs.secret-key
  IAM user     --iam-user, DIAGCTL_LOGS_IAM_USER, logs.iam-user
  IAM account  --iam-domain, DIAGCTL_LOGS_IAM_DOMAIN, logs.iam-domain (the account name)
  IAM user id  --iam-user-id, DIAGCTL_LOGS_IAM_USER_ID, logs.iam-user-id (MFA logins only;
               the console shows it under My Credentials)
  IAM password --iam-password-stdin, DIAGCTL_LOGS_IAM_PASSWORD, logs.iam-password, or a
               no-echo prompt on a terminal (never cached)
  IAM endpoint --iam-endpoint, DIAGCTL_LOGS_IAM_ENDPOINT, logs.iam-endpoint
               (https://iam.<region>.myhuaweicloud.com when not set)
stdin holds one secret a run: give at most one --*-stdin flag.

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
	bindIAMFlags(f, cmd)
	cmd.AddCommand(NewCmdDownload(f, nil), NewCmdToken(f, nil))
	return cmd
}
