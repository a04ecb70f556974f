//go:build linux

package iostreams

import (
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// On a real 40-column terminal the bar never reaches the last column (so
// it never wraps and scrolls), at any stage of the transfer.
func TestProgressFitsA40ColumnTerminal(t *testing.T) {
	master, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer master.Close()
	if err := pty.Setsize(tty, &pty.Winsize{Rows: 24, Cols: 40}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var shown strings.Builder
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			mu.Lock()
			shown.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	output := func() string { mu.Lock(); defer mu.Unlock(); return shown.String() }
	waitFor := func(what string, cond func(string) bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !cond(output()) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s; shown %q", what, output())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}

	ios, _, _, _ := Test()
	ios.ErrOut = tty
	ios.SetStderrFd(int(tty.Fd()))
	ios.SetTTY(false, false, true)
	if w := ios.TerminalWidth(); w != 40 {
		t.Fatalf("TerminalWidth = %d, want 40", w)
	}
	const total = 2<<30 + 123<<20 // sizes as long as they get
	p := ios.NewProgress(total, "…00000003")
	for _, step := range []struct {
		add float64
		pct string
	}{{0.015, "  1%"}, {0.36, " 37%"}, {0.62, " 99%"}} {
		pct := step.pct
		p.Add(int64(step.add * total))
		waitFor("the bar at "+pct, func(s string) bool { return strings.Contains(s, pct) })
	}
	p.Finish()
	waitFor("the bar's line cleared", func(s string) bool { return strings.HasSuffix(s, "\r\x1b[K") })
	tty.Close()

	out := output()
	erase := regexp.MustCompile(`\x1b\[K`)
	for _, line := range strings.FieldsFunc(out, func(r rune) bool { return r == '\r' || r == '\n' }) {
		line = erase.ReplaceAllString(line, "")
		if n := len([]rune(line)); n > 39 {
			t.Errorf("a %d-column line on a 40-column terminal: %q", n, line)
		}
		if strings.Contains(line, "GB") || strings.Contains(line, "MB") {
			t.Errorf("not IEC units: %q", line)
		}
	}
	if !strings.Contains(out, "GiB") {
		t.Errorf("no sizes at 40 columns: %q", out)
	}
}
