// Command emuids prints an emulator fixture ID by its Go name, for the
// benchmark scripts: go run ./scripts/emuids TaskBig
package main

import (
	"fmt"
	"os"

	"github.com/diagctl/diagctl/internal/emulator"
)

func main() {
	ids := map[string]string{"TaskBig": emulator.TaskBig, "SubJobBig": emulator.SubJobBig, "TaskOK": emulator.TaskOK}
	id, ok := ids[os.Args[len(os.Args)-1]]
	if !ok {
		fmt.Fprintln(os.Stderr, "usage: emuids TaskBig|SubJobBig|TaskOK")
		os.Exit(2)
	}
	fmt.Println(id)
}
