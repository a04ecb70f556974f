package emulator

import "testing"

func TestHumanSize(t *testing.T) {
	for n, want := range map[int64]string{
		0:             "0 B",
		1000:          "1000 B",
		1 << 10:       "1 KiB",
		64 << 20:      "64 MiB",
		2_000_000_000: "1.86 GiB", // --big-size 2GB
		1_500_000:     "1.43 MiB",
		1000 << 20:    "1000 MiB",
		1001<<20 + 1:  "1001 MiB",
		5 << 40:       "5 TiB",
	} {
		if got := humanSize(n); got != want {
			t.Errorf("humanSize(%d) = %q, want %q", n, got, want)
		}
	}
}
