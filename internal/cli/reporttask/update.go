package reporttask

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/api/radar"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/exit"
)

// UpdateOptions are the flags and dependencies of `report-task update`.
type UpdateOptions struct {
	TaskOptions
	TaskID string
}

// NewCmdUpdate builds `diagctl report-task update TASK_ID`.
func NewCmdUpdate(f *cmdutil.Factory, runF func(*UpdateOptions) error) *cobra.Command {
	opts := &UpdateOptions{TaskOptions: newTaskOptions(f)}
	cmd := &cobra.Command{
		Use:   "update TASK_ID --interval CRON --instance UUID",
		Short: "Change a task's interval or instance",
		Long: `Change a periodic report task's interval or instance (PUT
/cruddy/v2/report_tasks/update with {"id","interval","instance"}; Radar wants
all three, so give the instance even when only the interval changes).

The same checks as create run before anything is sent, and the interval is
explained the same way. An update is idempotent, so a failed attempt is retried
like a download (--retries).

Output: the task's id, report name, interval and next three run times;
--json prints Radar's answer unchanged.

` + exit.StatusHelp,
		Example: `  diagctl report-task update 497f6eca-6276-4993-bfeb-53cbbbba6f08 --interval '0 7 * * 1-5' --instance 868cf2e9-bd6d-4bac-96ba-2b08120d8cf9
  diagctl report-task update TASK_ID --dry-run --interval '0 0 1,15 * *' --instance INSTANCE`,
		Args: cmdutil.ExactArgs(1, "one TASK_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.TaskID = strings.TrimSpace(args[0])
			opts.fromCmd(cmd, f)
			if runF != nil {
				return runF(opts)
			}
			return runUpdate(opts)
		},
	}
	opts.addFlags(cmd)
	return cmd
}

func runUpdate(opts *UpdateOptions) error {
	if err := opts.check(idArg{"TASK_ID", opts.TaskID}); err != nil {
		return err
	}
	userID, c, err := opts.settings()
	if err != nil {
		return err
	}
	req, err := radar.UpdateRequest(opts.ctx(), c, userID, radar.UpdateBody{
		ID: opts.TaskID, Interval: opts.Interval, Instance: opts.Instance,
	})
	if err != nil {
		return err
	}
	if opts.DryRun {
		return opts.printDryRun(c, req)
	}
	opts.explainFirst()
	res, err := radar.Update(c, req, opts.TaskID)
	if err != nil {
		return err
	}
	return opts.printResult(res, "updated")
}
