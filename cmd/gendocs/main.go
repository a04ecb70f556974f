// Command gendocs regenerates docs/ and completions/ from the command tree:
//
//	go run ./cmd/gendocs
//
// A test in internal/gendocs fails when the committed files drift.
package main

import (
	"fmt"
	"os"

	"github.com/diagctl/diagctl/internal/gendocs"
)

func main() {
	if err := gendocs.WriteGenerated("."); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}
