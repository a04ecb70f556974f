// Command gendocs regenerates docs/ and completions/ from the command tree:
//
//	go run ./cmd/gendocs
//
// A test in internal/cli fails when the committed files drift.
package main

import (
	"fmt"
	"os"

	"github.com/diagctl/diagctl/internal/cli"
)

func main() {
	if err := cli.WriteGenerated("."); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}
