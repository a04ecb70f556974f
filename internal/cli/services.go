package cli

import (
	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/cmdutil"
)

// addServiceCommands adds the command groups that talk to a service.
func addServiceCommands(root *cobra.Command, f *cmdutil.Factory) {
}
