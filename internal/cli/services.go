package cli

import (
	"github.com/spf13/cobra"

	configcmd "github.com/diagctl/diagctl/internal/cli/config"
	"github.com/diagctl/diagctl/internal/cli/demo"
	emulatorcmd "github.com/diagctl/diagctl/internal/cli/emulator"
	"github.com/diagctl/diagctl/internal/cli/logs"
	"github.com/diagctl/diagctl/internal/cli/reporttask"
	"github.com/diagctl/diagctl/internal/cli/sandbox"
	"github.com/diagctl/diagctl/internal/cli/symbols"
	"github.com/diagctl/diagctl/internal/cmdutil"
)

// serviceNotes are the lines `config list` adds for the services.
var serviceNotes = []configcmd.Note{logs.CredentialNote}

// addServiceCommands adds the command groups that talk to a service.
func addServiceCommands(root *cobra.Command, f *cmdutil.Factory) {
	root.AddCommand(
		sandbox.NewCmdSandbox(f),
		logs.NewCmdLogs(f),
		symbols.NewCmdSymbols(f),
		reporttask.NewCmdReportTask(f),
		emulatorcmd.NewCmdEmulator(f, nil),
		demo.NewCmdDemo(f, RunFactory, nil),
	)
}
