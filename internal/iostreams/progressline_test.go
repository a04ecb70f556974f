package iostreams

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var lineStates = []progressState{
	{label: "…00000003", done: 0, total: 2 << 20},
	{label: "…00000003", done: 1 << 20, total: 2 << 20, rate: 512 << 10},
	{label: "…00000003", done: 786 << 20, total: 2 << 30, rate: 93.4 * (1 << 20)},
	{label: "3 archives", done: 5 << 30, total: 6 << 30, rate: 1 << 30},
	{label: "…06ae0001", done: 123456, total: -1, rate: 10 << 10, spinner: 3},
	{label: "…06ae0001", done: 0, total: 0},
	{label: strings.Repeat("x", 70), done: 1, total: 3, rate: 1},
	{label: "…0000f0004", done: 512 << 10, total: 1 << 20, status: "stalled: nothing received for 12s, giving up in 48s"},
	{label: "…0000f0004", done: 512 << 10, total: -1, status: "stalled: nothing received for 12s, giving up in 48s"},
}

// A status (a stall) takes the bar's place and keeps the percentage.
func TestProgressLineStatus(t *testing.T) {
	s := lineStates[len(lineStates)-2]
	if got := progressLine(s, 120); !strings.Contains(got, " 50%  512.0 KiB / 1.0 MiB  stalled: nothing received for 12s, giving up in 48s") || strings.Contains(got, "[") {
		t.Errorf("120 columns: %q", got)
	}
	if got := progressLine(s, 40); !strings.HasPrefix(got, " 50%  stalled: nothing") {
		t.Errorf("40 columns: %q", got)
	}
}

// The line never reaches the last column, at any width: a wrapped bar
// scrolls a new line at every redraw.
func TestProgressLineFitsEveryWidth(t *testing.T) {
	for _, s := range lineStates {
		for w := 1; w <= 200; w++ {
			line := progressLine(s, w)
			if n := cells(line); n > w-1 {
				t.Errorf("width %d: %d cells: %q", w, n, line)
			}
			if s.total > 0 && w >= 6 && !strings.Contains(line, "%") {
				t.Errorf("width %d: no percentage in %q", w, line)
			}
		}
	}
}

func TestProgressLineDropsParts(t *testing.T) {
	s := progressState{label: "…00000003", done: 1 << 20, total: 2 << 20, rate: 512 << 10}
	for _, tt := range []struct {
		width         int
		want, notWant []string
	}{
		{120, []string{"…00000003", " 50%", "[", "1.0 MiB / 2.0 MiB", "512.0 KiB/s", "ETA 0:02"}, nil},
		{40, []string{" 50%", "1.0 MiB / 2.0 MiB"}, []string{"["}},
		{20, []string{" 50%"}, []string{"MiB /"}},
		{6, []string{" 50%"}, []string{"…"}},
	} {
		line := progressLine(s, tt.width)
		for _, w := range tt.want {
			if !strings.Contains(line, w) {
				t.Errorf("width %d: %q lacks %q", tt.width, line, w)
			}
		}
		for _, w := range tt.notWant {
			if strings.Contains(line, w) {
				t.Errorf("width %d: %q has %q", tt.width, line, w)
			}
		}
	}
}

func TestFormatBytesIEC(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 758: "758 B", 1536: "1.5 KiB", 12<<20 + 300<<10: "12.3 MiB", 2 << 30: "2.0 GiB"} {
		if got := FormatBytes(n); got != want {
			t.Errorf("FormatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// No rate before the transfer has run a second: the first samples are
// all warm-up (one read 1.2 TB/s).
func TestProgressRateWaitsASecond(t *testing.T) {
	var buf bytes.Buffer
	t0 := time.Unix(1000, 0)
	p := &Progress{label: "x", w: &buf, width: func() int { return 120 }, start: t0}
	p.total.Store(100 << 20)
	p.done.Store(4 << 20) // a burst straight from the socket buffers
	p.draw(t0.Add(10 * time.Millisecond))
	p.draw(t0.Add(500 * time.Millisecond))
	if strings.Contains(buf.String(), "/s") {
		t.Fatalf("rate shown before a second: %q", buf.String())
	}
	buf.Reset()
	p.done.Store(6 << 20)
	p.draw(t0.Add(1010 * time.Millisecond))
	// 2 MiB in the second since the first sample.
	if !strings.Contains(buf.String(), "2.0 MiB/s") {
		t.Errorf("rate after a second: %q", buf.String())
	}
}

func FuzzProgressLine(f *testing.F) {
	f.Add("…00000003", int64(1<<20), int64(2<<20), 512.0*1024, 40)
	f.Add("3 archives", int64(5<<30), int64(-1), 0.0, 1)
	f.Add("", int64(0), int64(0), 1e18, 200)
	f.Fuzz(func(t *testing.T, label string, done, total int64, rate float64, width int) {
		if done < 0 || rate < 0 || rate != rate || width > 1000 || !utf8.ValidString(label) {
			t.Skip()
		}
		// The label doubles as a status (a stall notice) every other time.
		var status string
		if done%2 == 1 {
			status = label
		}
		line := progressLine(progressState{label: label, done: done, total: total, rate: rate, status: status}, width)
		if n := cells(line); n > max(width-1, 0) {
			t.Fatalf("width %d: %d cells: %q", width, n, line)
		}
	})
}
