package cli

import (
	"github.com/spf13/cobra"

	emulatorcmd "github.com/diagctl/diagctl/internal/cli/emulator"
	"github.com/diagctl/diagctl/internal/cli/logs"
	"github.com/diagctl/diagctl/internal/cli/reporttask"
	"github.com/diagctl/diagctl/internal/cli/sandbox"
	"github.com/diagctl/diagctl/internal/cli/symbols"
	"github.com/diagctl/diagctl/internal/cmdutil"
)

// addServiceCommands adds the command groups that talk to a service.
func addServiceCommands(root *cobra.Command, f *cmdutil.Factory) {
	root.AddCommand(
		sandbox.NewCmdSandbox(f),
		logs.NewCmdLogs(f),
		symbols.NewCmdSymbols(f),
		reporttask.NewCmdReportTask(f),
		emulatorcmd.NewCmdEmulator(f, nil),
	)
}
