package download

import (
	"testing"
	"time"
)

// The notice comes after 10 s, or half the limit when that is sooner, so
// it always comes before the limit ends the transfer.
func TestStallNoticeAfter(t *testing.T) {
	t.Parallel()
	for limit, want := range map[time.Duration]time.Duration{
		60 * time.Second:       10 * time.Second,
		5 * time.Minute:        10 * time.Second,
		20 * time.Second:       10 * time.Second,
		12 * time.Second:       6 * time.Second,
		2 * time.Second:        time.Second,
		100 * time.Millisecond: 50 * time.Millisecond,
	} {
		if got := stallNoticeAfter(limit); got != want || got >= limit {
			t.Errorf("stallNoticeAfter(%v) = %v, want %v", limit, got, want)
		}
	}
}

// The time left is rounded up (it never reads 0 while time is left);
// whole seconds under the default limit, tenths under short ones.
func TestStallRounding(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ d, limit, idle, left time.Duration }{
		{10300 * time.Millisecond, 60 * time.Second, 10 * time.Second, 11 * time.Second},
		{1250 * time.Millisecond, 2 * time.Second, 1200 * time.Millisecond, 1300 * time.Millisecond},
		{time.Millisecond, 60 * time.Second, 0, time.Second},
		{-time.Second, 60 * time.Second, -time.Second, 0},
	} {
		if got := roundIdle(tc.d, tc.limit); got != tc.idle {
			t.Errorf("roundIdle(%v, %v) = %v, want %v", tc.d, tc.limit, got, tc.idle)
		}
		if got := roundLeft(tc.d, tc.limit); got != tc.left {
			t.Errorf("roundLeft(%v, %v) = %v, want %v", tc.d, tc.limit, got, tc.left)
		}
	}
}
