package symbols

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/diagctl/diagctl/internal/exit"
)

func TestParseExpiry(t *testing.T) {
	now := time.Date(2025, 6, 1, 10, 30, 0, 0, time.UTC)
	for _, tt := range []struct{ in, at, want string }{
		{"30d", "", "2025-07-01T10:30:00Z"},
		{"2w", "", "2025-06-15T10:30:00Z"},
		{"36h", "", "2025-06-02T22:30:00Z"},
		{"1h30m", "", "2025-06-01T12:00:00Z"},
		{"", "2025-07-01", "2025-07-01T00:00:00Z"},
		{"", "2025-07-01T12:00:00+02:00", "2025-07-01T10:00:00Z"},
	} {
		got, err := ParseExpiry(tt.in, tt.at, now)
		if err != nil || got.Format(time.RFC3339) != tt.want {
			t.Errorf("ParseExpiry(%q, %q) = %v, %v; want %s", tt.in, tt.at, got, err, tt.want)
		}
	}
	if got, err := ParseExpiry("", "", now); got != nil || err != nil {
		t.Errorf("nothing given: %v %v", got, err)
	}
	for _, tt := range []struct{ in, at, want string }{
		{"30d", "2025-07-01", "not both"},
		{"0d", "", "not a positive period"},
		{"-5h", "", "not a positive period"},
		{"xd", "", "whole number"},
		{"30 days", "", "not a period"},
		{"99999999w", "", "longer than 100 years"},
		{"1000000h", "", "longer than 100 years"},
		{"", "2025-06-01", "not in the future"},
		{"", "01/07/2025", "not a date"},
	} {
		_, err := ParseExpiry(tt.in, tt.at, now)
		if err == nil || !strings.Contains(err.Error(), tt.want) || exit.Code(err) != exit.Usage {
			t.Errorf("ParseExpiry(%q, %q) = %v, want %q", tt.in, tt.at, err, tt.want)
		}
	}
}

func TestNewRequestCreate(t *testing.T) {
	exp := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	body, err := NewRequestCreate("v1.2.3", "nightly\nbuild", &exp)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(body)
	if string(b) != `{"name":"v1.2.3","description":"nightly\nbuild","expirationDate":"2025-07-01T00:00:00Z"}` {
		t.Errorf("body %s", b)
	}
	b, _ = json.Marshal(must(NewRequestCreate("v1", "", nil)))
	if string(b) != `{"name":"v1"}` {
		t.Errorf("body %s", b)
	}
	for _, tt := range [][2]string{{"", ""}, {"  ", ""}, {"a\x1b", ""}, {"a", "x\x00"}} {
		if _, err := NewRequestCreate(tt[0], tt[1], nil); exit.Code(err) != exit.Usage {
			t.Errorf("NewRequestCreate(%q, %q) = %v", tt[0], tt[1], err)
		}
	}
	b, _ = json.Marshal(SealBody())
	if string(b) != `{"status":"sealed"}` {
		t.Errorf("seal body %s", b)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
