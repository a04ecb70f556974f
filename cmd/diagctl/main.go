// Command diagctl drives the Kaspersky Research Sandbox, Huawei Cloud
// CodeArts Check, Azure DevOps symbol service and Pangeo Radar APIs.
package main

import (
	"os"

	"github.com/diagctl/diagctl/internal/cli"
)

func main() { os.Exit(cli.Main()) }
