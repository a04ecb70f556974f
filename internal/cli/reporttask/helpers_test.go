package reporttask

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/exit"
)

type cobraCommand = cobra.Command

// exitCode is exit.Code, with cobra's untyped "required flag" error as
// the usage error the root makes of it.
func exitCode(err error) int {
	if err != nil && strings.Contains(err.Error(), "required flag") {
		return exit.Usage
	}
	return exit.Code(err)
}
