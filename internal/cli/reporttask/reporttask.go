// Package reporttask is the `diagctl report-task` command group (Pangeo
// Radar periodic report tasks): create and update, with the interval
// checked and explained before anything is sent.
package reporttask

import (
	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/api/radar"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/exit"
)

// NewCmdReportTask builds `diagctl report-task` with its service
// settings, which both subcommands inherit.
func NewCmdReportTask(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report-task <command>",
		Short: "Pangeo Radar: create and update periodic report tasks",
		Example: `  export DIAGCTL_REPORT_TASK_SERVER=radar.example.com DIAGCTL_REPORT_TASK_USER_ID=2c6a9f0e-8f3b-4f57-9a55-3c9e2d7b1a10
  diagctl report-task create --dry-run --interval '0 3 * * 1' --instance 868cf2e9-bd6d-4bac-96ba-2b08120d8cf9 --report-id 5ed7905a-4735-4cf7-b1ab-521e066fb971
  diagctl report-task update 497f6eca-6276-4993-bfeb-53cbbbba6f08 --interval '0 7 * * 1-5' --instance 868cf2e9-bd6d-4bac-96ba-2b08120d8cf9`,
		Long: `Pangeo Radar: create and update periodic report tasks.

Radar's API (POST /cruddy/v2/report_tasks/create, PUT .../update) makes a task
that generates a report on a cron schedule. It needs the server and your user
id (sent as Pgr-User-Id), and an API key where Radar demands one.

The interval is checked as standard five-field cron (minute hour day-of-month
month day-of-week) before anything is sent, and explained: in words where it is
simple, and always with its next three run times in local time.

Settings:
  server   --server, DIAGCTL_REPORT_TASK_SERVER, report-task.server (a bare host means
           https://HOST:9000, Radar's API port; a URL is used as given)
  user id  --user-id, DIAGCTL_REPORT_TASK_USER_ID, report-task.user-id (a UUID, sent as Pgr-User-Id)
  API key  DIAGCTL_REPORT_TASK_API_KEY, --api-key-stdin, report-task.api-key (sent as PgrApiKey,
           only when set; never a plain flag)
  TLS      report-task.ca-cert / --ca-cert; report-task.insecure / --insecure

` + exit.StatusHelp,
	}
	pf := cmd.PersistentFlags()
	pf.String("server", "", "Radar host or URL; a bare host means https://HOST:9000 (env DIAGCTL_REPORT_TASK_SERVER)")
	pf.String("user-id", "", "Radar user id (UUID), sent as Pgr-User-Id (env DIAGCTL_REPORT_TASK_USER_ID)")
	f.BindFlag(radar.ServerKey, pf.Lookup("server"))
	f.BindFlag(radar.UserIDKey, pf.Lookup("user-id"))
	_ = cmd.RegisterFlagCompletionFunc("user-id", cobra.NoFileCompletions)
	cmd.AddCommand(NewCmdCreate(f, nil), NewCmdUpdate(f, nil))
	return cmd
}
