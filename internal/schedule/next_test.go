package schedule

import (
	"testing"
	"time"
	_ "time/tzdata" // the named zones below, even on a machine without tzdata
)

// TestNextAcrossDST checks the next three run times against values worked
// out by hand from the calendar and the zones' rules: Europe/Berlin
// springs forward on 2026-03-29 (02:00 CET -> 03:00 CEST) and falls back on
// 2026-10-25 (03:00 CEST -> 02:00 CET); America/New_York on 2026-03-08
// (02:00 EST -> 03:00 EDT) and 2026-11-01 (02:00 EDT -> 01:00 EST).
func TestNextAcrossDST(t *testing.T) {
	tests := []struct {
		name, zone, interval, after string
		want                        [3]string
	}{
		{"02:30 does not exist on spring-forward day: skipped", "Europe/Berlin", "30 2 * * *", "2026-03-28T12:00:00+01:00",
			[3]string{"2026-03-30T02:30:00+02:00", "2026-03-31T02:30:00+02:00", "2026-04-01T02:30:00+02:00"}},
		{"the day before still runs", "Europe/Berlin", "30 2 * * *", "2026-03-28T00:00:00+01:00",
			[3]string{"2026-03-28T02:30:00+01:00", "2026-03-30T02:30:00+02:00", "2026-03-31T02:30:00+02:00"}},
		{"every 30 minutes jumps the missing hour", "Europe/Berlin", "*/30 * * * *", "2026-03-29T01:00:00+01:00",
			[3]string{"2026-03-29T01:30:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-29T03:30:00+02:00"}},
		{"03:00 on Sunday exists on the change day", "Europe/Berlin", "0 3 * * 0", "2026-03-22T03:00:00+01:00",
			[3]string{"2026-03-29T03:00:00+02:00", "2026-04-05T03:00:00+02:00", "2026-04-12T03:00:00+02:00"}},
		{"02:30 happens twice on fall-back day", "Europe/Berlin", "30 2 * * *", "2026-10-24T12:00:00+02:00",
			[3]string{"2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00", "2026-10-26T02:30:00+01:00"}},
		{"every 30 minutes through the repeated hour", "Europe/Berlin", "*/30 * * * *", "2026-10-25T02:00:00+02:00",
			[3]string{"2026-10-25T02:30:00+02:00", "2026-10-25T02:00:00+01:00", "2026-10-25T02:30:00+01:00"}},
		{"weekdays at 09:00 across New York's spring change", "America/New_York", "0 9 * * 1-5", "2026-03-06T10:00:00-05:00",
			[3]string{"2026-03-09T09:00:00-04:00", "2026-03-10T09:00:00-04:00", "2026-03-11T09:00:00-04:00"}},
		{"New York 02:30 skipped", "America/New_York", "30 2 * * *", "2026-03-07T12:00:00-05:00",
			[3]string{"2026-03-09T02:30:00-04:00", "2026-03-10T02:30:00-04:00", "2026-03-11T02:30:00-04:00"}},
		{"New York 01:30 twice", "America/New_York", "30 1 * * *", "2026-10-31T12:00:00-04:00",
			[3]string{"2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00", "2026-11-02T01:30:00-05:00"}},
		// The vendor's example, minute 0 only: 1 January (a Friday in 2027)
		// or any Monday in January, whichever comes first.
		{"either day: Mondays in January", "UTC", "0 0 1 1 1", "2027-01-01T00:00:00Z",
			[3]string{"2027-01-04T00:00:00Z", "2027-01-11T00:00:00Z", "2027-01-18T00:00:00Z"}},
		{"either day: into the next January", "UTC", "0 0 1 1 1", "2027-01-20T00:00:00Z",
			[3]string{"2027-01-25T00:00:00Z", "2028-01-01T00:00:00Z", "2028-01-03T00:00:00Z"}},
		{"7 is Sunday", "UTC", "0 12 * * 7", "2026-03-23T00:00:00Z",
			[3]string{"2026-03-29T12:00:00Z", "2026-04-05T12:00:00Z", "2026-04-12T12:00:00Z"}},
		{"29 February", "UTC", "0 0 29 2 *", "2026-01-01T00:00:00Z",
			[3]string{"2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z", "2036-02-29T00:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc, err := time.LoadLocation(tt.zone)
			if err != nil {
				t.Fatal(err)
			}
			after, err := time.Parse(time.RFC3339, tt.after)
			if err != nil {
				t.Fatal(err)
			}
			s, err := Parse(tt.interval)
			if err != nil {
				t.Fatal(err)
			}
			got := s.NextN(after.In(loc), 3)
			if len(got) != 3 {
				t.Fatalf("NextN gave %d times", len(got))
			}
			for i, g := range got {
				if g.Format(time.RFC3339) != tt.want[i] {
					t.Errorf("run %d = %s, want %s", i+1, g.Format(time.RFC3339), tt.want[i])
				}
				if g.Location() != loc {
					t.Errorf("run %d in %v, want %v", i+1, g.Location(), loc)
				}
			}
		})
	}
}

// NextN stops when the schedule has no more runs: robfig looks five years
// ahead, and the next 29 February after 2096 is in 2104.
func TestNextNEnds(t *testing.T) {
	s, err := Parse("0 0 29 2 *")
	if err != nil {
		t.Fatal(err)
	}
	got := s.NextN(time.Date(2096, 3, 1, 0, 0, 0, 0, time.UTC), 3)
	if len(got) != 0 {
		t.Errorf("NextN = %v, want none", got)
	}
	if !s.Next(time.Date(2096, 3, 1, 0, 0, 0, 0, time.UTC)).IsZero() {
		t.Error("Next is not the zero time")
	}
}
