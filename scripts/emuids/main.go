// Command emuids prints emulator fixture IDs for the benchmark and soak
// scripts:
//
//	go run ./scripts/emuids TaskBig
//	go run ./scripts/emuids family COUNT SIZE_KIB [FAULT [FIRST]]
//
// The second form prints COUNT IDs of the generated family (emulator
// family.go), serials FIRST.. (default 1), FAULT a family code (default
// 0000, none).
package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/diagctl/diagctl/internal/emulator"
)

func main() {
	args := os.Args[1:]
	if len(args) >= 3 && args[0] == "family" {
		family(args[1:])
		return
	}
	ids := map[string]string{"TaskBig": emulator.TaskBig, "SubJobBig": emulator.SubJobBig, "TaskOK": emulator.TaskOK}
	id, ok := ids[args[len(args)-1]]
	if len(args) == 0 || !ok {
		usage()
	}
	fmt.Println(id)
}

func family(a []string) {
	count, err1 := strconv.Atoi(a[0])
	size, err2 := strconv.Atoi(a[1])
	fault, first := emulator.FamilyOK, int64(1)
	if len(a) > 2 {
		fault = a[2]
	}
	var err3 error
	if len(a) > 3 {
		first, err3 = strconv.ParseInt(a[3], 10, 64)
	}
	if err1 != nil || err2 != nil || err3 != nil || count < 0 || size <= 0 || size > 0xffff || len(fault) != 4 {
		usage()
	}
	for i := int64(0); i < int64(count); i++ {
		fmt.Println(emulator.FamilyTask(size, fault, first+i))
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: emuids TaskBig|SubJobBig|TaskOK\n       emuids family COUNT SIZE_KIB [FAULT [FIRST]]")
	os.Exit(2)
}
