package reporttask

import (
	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/api/radar"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/exit"
)

// CreateOptions are the flags and dependencies of `report-task create`.
type CreateOptions struct {
	TaskOptions
	ReportID string
}

// NewCmdCreate builds `diagctl report-task create`.
func NewCmdCreate(f *cmdutil.Factory, runF func(*CreateOptions) error) *cobra.Command {
	opts := &CreateOptions{TaskOptions: newTaskOptions(f)}
	cmd := &cobra.Command{
		Use:   "create --interval CRON --instance UUID --report-id UUID",
		Short: "Create a periodic report task",
		Long: `Create a periodic task that generates a report (POST /cruddy/v2/report_tasks/create
with {"interval","instance","report_id"}).

Before anything is sent, each ID must be a UUID and the interval must be
standard five-field cron (minute hour day-of-month month day-of-week: lists,
ranges, steps, month and weekday names); an error names the bad field and what
it accepts. --skip-interval-check sends the interval as it is. On a terminal and
with --dry-run the interval is explained: in words where it is simple, whether
day-of-month and day-of-week combine as "either" (Vixie cron), and the next
three run times in local time.

The request is never sent twice once it may have reached Radar (only a refused
connection is retried): a second one could create a second task. If the outcome
is unknown (a timeout, a reset connection, a 502 or 504), the exit status is 6
and the message says what to check in Radar before running the command again.

Output: the task's id, report name, interval and next three run times
(tab-separated when stdout is not a terminal); --json prints Radar's answer
unchanged.

` + exit.StatusHelp,
		Example: `  export DIAGCTL_REPORT_TASK_SERVER=radar.example.com DIAGCTL_REPORT_TASK_USER_ID=2c6a9f0e-8f3b-4f57-9a55-3c9e2d7b1a10
  diagctl report-task create --interval '0 3 * * 1' --instance 868cf2e9-bd6d-4bac-96ba-2b08120d8cf9 --report-id 5ed7905a-4735-4cf7-b1ab-521e066fb971
  diagctl report-task create --dry-run --interval '30 8 1 * mon-fri' --instance INSTANCE --report-id REPORT
  printf '%s\n' "$RADAR_KEY" | diagctl --json report-task create --api-key-stdin --interval '0 6 * * *' --instance INSTANCE --report-id REPORT`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.fromCmd(cmd, f)
			if runF != nil {
				return runF(opts)
			}
			return runCreate(opts)
		},
	}
	opts.addFlags(cmd)
	cmd.Flags().StringVar(&opts.ReportID, "report-id", "", "UUID of the report to generate")
	_ = cmd.MarkFlagRequired("report-id")
	_ = cmd.RegisterFlagCompletionFunc("report-id", cobra.NoFileCompletions)
	return cmd
}

func runCreate(opts *CreateOptions) error {
	if err := opts.check(idArg{"--report-id", opts.ReportID}); err != nil {
		return err
	}
	userID, c, err := opts.settings()
	if err != nil {
		return err
	}
	req, err := radar.CreateRequest(opts.ctx(), c, userID, radar.CreateBody{
		Interval: opts.Interval, Instance: opts.Instance, ReportID: opts.ReportID,
	})
	if err != nil {
		return err
	}
	if opts.DryRun {
		return opts.printDryRun(c, req)
	}
	opts.explainFirst()
	res, err := radar.Create(c, req, opts.ReportID)
	if err != nil {
		return err
	}
	return opts.printResult(res, "created")
}
