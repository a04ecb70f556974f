package iostreams

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// progressState is what one redraw of the bar shows.
type progressState struct {
	label   string
	done    int64
	total   int64   // <= 0: unknown (no percentage, no bar)
	rate    float64 // bytes per second; 0 until it means something
	spinner int     // frame, for an unknown total
	// status, when set, replaces the bar, rate and ETA: something the
	// person must see now (a stall and the time left before it ends the
	// transfer). It is dropped last but for the percentage.
	status string
}

// progressLine lays the bar out for a terminal of width columns. It drops
// parts, least useful first, until the line fits in width-1 columns (the
// last column would make some terminals wrap): ETA, rate, the bar, the
// sizes, the label, down to a bare percentage.
func progressLine(s progressState, width int) string {
	max := width - 1
	if max < 1 {
		return ""
	}
	var sizes, rate, eta string
	if s.total > 0 {
		sizes = FormatBytes(s.done) + " / " + FormatBytes(s.total)
	} else {
		sizes = FormatBytes(s.done)
	}
	if s.rate > 0 {
		rate = FormatBytes(int64(s.rate)) + "/s"
		if s.total > s.done {
			eta = "ETA " + formatETA(time.Duration(float64(s.total-s.done)/s.rate*float64(time.Second)))
		}
	}
	if s.status != "" {
		pct := ""
		if s.total > 0 {
			pct = fmt.Sprintf("%3d%%", percent(s.done, s.total))
		}
		for _, parts := range [][]string{
			{s.label, pct, sizes, s.status},
			{s.label, pct, s.status},
			{pct, s.status},
		} {
			if line := join(parts); cells(line) <= max {
				return line
			}
		}
		// As much of the status as fits after the percentage.
		if room := max - cells(pct) - 2; pct != "" && room >= 1 {
			return pct + "  " + truncate(s.status, room)
		}
		if pct != "" {
			return truncate(pct, max)
		}
		return truncate(s.status, max)
	}
	if s.total <= 0 {
		spin := string(`-\|/`[s.spinner%4])
		for _, parts := range [][]string{
			{spin, s.label, sizes, rate},
			{spin, s.label, sizes},
			{spin, sizes},
			{sizes},
		} {
			if line := join(parts); cells(line) <= max {
				return line
			}
		}
		return truncate(sizes, max)
	}
	pct := fmt.Sprintf("%3d%%", percent(s.done, s.total))
	// Layouts from richest to barest; barSlot is where the bar goes, and
	// it takes the room that is left (between minBar and maxBar cells).
	const minBar, maxBar = 10, 40
	for _, parts := range [][]string{
		{s.label, pct, barSlot, sizes, rate, eta},
		{s.label, pct, barSlot, sizes, rate},
		{s.label, pct, barSlot, sizes},
		{s.label, pct, sizes, rate},
		{s.label, pct, sizes},
		{pct, sizes},
		{s.label, pct},
		{pct},
	} {
		line := join(parts)
		if !strings.Contains(line, barSlot) {
			if cells(line) <= max {
				return line
			}
			continue
		}
		room := max - (cells(line) - cells(barSlot))
		if room < minBar {
			continue
		}
		return strings.Replace(line, barSlot, drawBar(s.done, s.total, min(room, maxBar)), 1)
	}
	return truncate(pct, max)
}

// barSlot marks the bar's place in a layout until its width is known.
const barSlot = "\x00bar"

// join puts two spaces between the parts that are present (a label, rate
// or ETA may be empty).
func join(parts []string) string {
	var present []string
	for _, p := range parts {
		if p != "" {
			present = append(present, p)
		}
	}
	return strings.Join(present, "  ")
}

func drawBar(done, total int64, width int) string {
	inner := width - 2
	filled := int(int64(inner) * min(done, total) / total)
	b := strings.Repeat("=", filled)
	if filled < inner {
		b += ">" + strings.Repeat(" ", inner-filled-1)
	}
	return "[" + b + "]"
}

func percent(done, total int64) int64 {
	if done >= total {
		return 100
	}
	return done * 100 / total
}

func cells(s string) int { return utf8.RuneCountInString(s) }

func truncate(s string, n int) string {
	if cells(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// formatETA is m:ss, or h:mm:ss from an hour on.
func formatETA(d time.Duration) string {
	sec := int64(d.Round(time.Second) / time.Second)
	if sec >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", sec/3600, sec/60%60, sec%60)
	}
	return fmt.Sprintf("%d:%02d", sec/60, sec%60)
}

// FormatBytes writes n in IEC units, as the result lines do: "758 B",
// "1.5 KiB", "12.3 MiB", "2.0 GiB".
func FormatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
