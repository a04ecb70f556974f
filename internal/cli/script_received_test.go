package cli

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/diagctl/diagctl/internal/emulator"
)

// This file is the 'received' command as branch shape defines it (same
// name, arguments and behaviour), so that the two reconcile by keeping
// shape's copy.

type emuKey struct{}

// emuLog is the script's emulator and how much of its request log
// earlier received commands have looked at.
type emuLog struct {
	srv  *emulator.Server
	seen int
}

// cmdReceived checks what the emulator ($EMU) received since the last
// received command (or the start of the script):
//
//	received 0                          nothing at all
//	received 2 'GET /api/v1/sandbox/'   two requests matching the regexp, on "METHOD PATH?QUERY"
//
// so that "nothing was sent" (exit 2) is checked end to end.
func cmdReceived(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: received COUNT [REGEXP]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("received: bad count %q", args[0])
	}
	re := regexp.MustCompile(".")
	if len(args) == 2 {
		if re, err = regexp.Compile(args[1]); err != nil {
			ts.Fatalf("received: %v", err)
		}
	}
	log := ts.Value(emuKey{}).(*emuLog)
	all := log.srv.Received()
	var got []string
	for _, r := range all[min(log.seen, len(all)):] {
		line := r.Method + " " + r.Path
		if r.RawQuery != "" {
			line += "?" + r.RawQuery
		}
		if re.MatchString(line) {
			got = append(got, line)
		}
	}
	log.seen = len(all)
	if len(got) != want {
		ts.Fatalf("the emulator received %d matching requests, want %d:\n%s", len(got), want, strings.Join(got, "\n"))
	}
}
