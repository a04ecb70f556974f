package reporttask

import (
	"strconv"
	"strings"
	"time"

	"github.com/diagctl/diagctl/internal/schedule"
)

// runsShown is how many next run times are shown.
const runsShown = 3

// explanation is what an interval means: in words when it is simple, the
// either-day rule when it applies, and its next run times.
type explanation struct {
	Interval  string   `json:"interval"`
	Checked   bool     `json:"checked"`           // standard five-field cron
	Problem   string   `json:"problem,omitempty"` // why not, when !Checked
	Words     string   `json:"words,omitempty"`
	EitherDay bool     `json:"either_day"`
	NextRuns  []string `json:"next_runs"` // RFC 3339, local time
}

// explainInterval explains interval as of now (its location is the
// local time the runs are shown in).
func explainInterval(interval string, now time.Time) explanation {
	e := explanation{Interval: interval, NextRuns: []string{}}
	s, err := schedule.Parse(interval)
	if err != nil {
		e.Problem = err.Error()
		return e
	}
	e.Checked = true
	e.Words, _ = s.Describe()
	e.EitherDay = s.EitherDay()
	for _, t := range s.NextN(now, runsShown) {
		e.NextRuns = append(e.NextRuns, t.Format(time.RFC3339))
	}
	return e
}

// lines is the explanation for people. The interval is quoted, so a
// control character in it shows as an escape.
func (e explanation) lines() []string {
	q := strconv.Quote(e.Interval)
	if !e.Checked {
		return []string{"interval " + q + " was not checked (--skip-interval-check): " + e.Problem + "; no run times can be shown"}
	}
	first := "interval " + q
	if e.Words != "" {
		first += ": " + e.Words
	}
	out := []string{first}
	if e.EitherDay {
		out = append(out, "note: "+schedule.EitherDayNote)
	}
	if len(e.NextRuns) == 0 {
		return append(out, "no run in the next five years")
	}
	return append(out, "next runs (local time): "+strings.Join(e.NextRuns, ", "))
}
