package cmdutiltest

import (
	"testing"

	"github.com/diagctl/diagctl/internal/emulator"
)

// StartEmulator serves the emulator of all four APIs on loopback until
// the test ends. Its Received log tells what reached it.
func StartEmulator(t testing.TB, o emulator.Options) *emulator.Server {
	t.Helper()
	srv, err := emulator.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}
