// Package cmdutiltest builds Factories for tests: test streams, an
// environment of the test's own, a config file in a temporary directory
// and a backoff that never sleeps.
package cmdutiltest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// NewFactory is cmdutil.NewFactory for a test: ios (from
// iostreams.Test), only the variables in env, the config file
// $TMP/config.yaml (absent unless the test writes it; see ConfigPath),
// --retries 3, and retries that do not wait.
func NewFactory(t testing.TB, ios *iostreams.IOStreams, env map[string]string) *cmdutil.Factory {
	t.Helper()
	if env == nil {
		env = map[string]string{}
	}
	f := cmdutil.NewFactory(ios, func(k string) string { return env[k] }, "test", context.Background())
	f.Globals.ConfigPath = filepath.Join(t.TempDir(), "config.yaml")
	f.Backoff.Sleep = httpx.NoSleep
	return f
}
