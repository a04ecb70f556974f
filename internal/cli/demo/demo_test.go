package demo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/diagctl/diagctl/internal/cli"
	"github.com/diagctl/diagctl/internal/cli/demo"
	"github.com/diagctl/diagctl/internal/cmdutil"
	emu "github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// userEnv is the environment of a user who has diagctl set up for real
// services, a config file that would fail to load, and a token cache:
// the demo must use none of it. The returned counter counts requests that
// reached the "real" service.
func userEnv(t *testing.T) (map[string]string, *atomic.Int64) {
	var hits atomic.Int64
	real := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	t.Cleanup(real.Close)
	home := t.TempDir()
	cfgDir := filepath.Join(home, ".config", "diagctl")
	if err := os.MkdirAll(cfgDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfgDir, "config.yaml"), []byte("sandbox: [not: a map\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"HOME":                         home,
		"XDG_CONFIG_HOME":              filepath.Join(home, ".config"),
		"XDG_CACHE_HOME":               filepath.Join(home, ".cache"),
		"DIAGCTL_SANDBOX_SERVER":       real.URL,
		"DIAGCTL_LOGS_ENDPOINT":        real.URL,
		"DIAGCTL_REPORT_TASK_SERVER":   real.URL,
		"DIAGCTL_SYMBOLS_URL":          real.URL,
		"DIAGCTL_LOGS_IAM_ENDPOINT":    real.URL,
		"DIAGCTL_PROFILE":              "prod",
		"DIAGCTL_SANDBOX_USER":         "someone-else",
		"DIAGCTL_REPORT_TASK_USER_ID":  "00000000-0000-0000-0000-000000000000",
		"DIAGCTL_SYMBOLS_ORGANIZATION": "real-org",
	}, &hits
}

// runDemo runs `diagctl ARGS` as main would, with TMPDIR pointing at a
// directory of the test's own, and returns stdout, stderr, the status
// and that directory.
func runDemo(t *testing.T, args ...string) (stdout, stderr string, code int, tmp string) {
	t.Helper()
	tmp = t.TempDir()
	t.Setenv("TMPDIR", tmp)
	env, hits := userEnv(t)
	ios, _, out, errOut := iostreams.Test()
	f := cmdutil.NewFactory(ios, func(k string) string { return env[k] }, "test", context.Background())
	code = cli.RunFactory(f, args)
	if n := hits.Load(); n != 0 {
		t.Errorf("the demo sent %d requests to the user's configured service", n)
	}
	return out.String(), errOut.String(), code, tmp
}

func noSecrets(t *testing.T, out string) {
	t.Helper()
	for name, secret := range map[string]string{
		"sandbox password": emu.SandboxPassword, "logs token": emu.LogsToken,
		"IAM password": emu.IAMPassword, "symbols PAT": emu.SymbolsPAT,
	} {
		if strings.Contains(out, secret) {
			t.Errorf("the output shows the %s", name)
		}
	}
}

func TestDemoShowsEveryStepAndLeavesNothing(t *testing.T) {
	out, errOut, code, tmp := runDemo(t, "demo")
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	titles, _ := demo.StepTitles()
	for i, title := range titles {
		if !strings.Contains(out, fmt.Sprintf("\n# %d. %s\n$ ", i+1, title)) {
			t.Errorf("step %q is not shown", title)
		}
	}
	if got := strings.Count(out, "\n$ "); got != len(titles) {
		t.Errorf("%d command lines shown, want %d", got, len(titles))
	}
	for _, s := range []string{
		"$ printf '%s\\n' \"$SANDBOX_PASSWORD\" | diagctl sandbox debug-report --server http://127.0.0.1:",
		"hint: the task was created without debug_report=true",
		"(exit status 5, as expected)",
		"\tpe\tdemo.exe/557A1D8Ee000/demo.exe\t",
		// The symbol publish flow: the request's id passed on as a
		// variable, blobMissing, missing (4), then a one-command publish
		// that a lookup finds.
		"$ REQUEST_ID=$(printf '%s\\n' \"$SYMBOLS_TOKEN\" | diagctl symbols request create --url http://127.0.0.1:",
		"--token-stdin \"$REQUEST_ID\" /",
		"\ndemo.exe/557A1D8Ee000/demo.exe\tblobMissing\t",
		"\tdemo.exe/557A1D8Ee000/demo.exe\tmissing\t-\n0 keys found, 1 missing\n",
		"(exit status 4, as expected)",
		"symbol request \"demo-1.0.1\" sealed: it takes no more entries",
		"\tfound\thttp://127.0.0.1:",
		"--interval '0 3 * * 1'",
		"All 13 steps ended as expected.",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
	if errOut != "" {
		t.Errorf("stderr: %q", errOut)
	}
	noSecrets(t, out)
	left, _ := os.ReadDir(tmp)
	if len(left) != 0 {
		t.Errorf("left behind in TMPDIR: %v", left)
	}
}

func TestDemoJSON(t *testing.T) {
	out, errOut, code, tmp := runDemo(t, "--json", "demo")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	var doc struct {
		Emulator string
		Steps    []struct {
			Title      string
			Command    string
			ExitStatus int `json:"exit_status"`
			Result     json.RawMessage
			Error      json.RawMessage
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not one JSON document: %v\n%s", err, out)
	}
	titles, want := demo.StepTitles()
	if len(doc.Steps) != len(titles) {
		t.Fatalf("%d steps, want %d", len(doc.Steps), len(titles))
	}
	for i, s := range doc.Steps {
		if s.Title != titles[i] || s.ExitStatus != want[i] || !strings.Contains(s.Command, "diagctl --json ") {
			t.Errorf("step %d: %q exit %d %q, want %q exit %d", i+1, s.Title, s.ExitStatus, s.Command, titles[i], want[i])
		}
		if string(s.Result) == "null" || !json.Valid(s.Result) {
			t.Errorf("step %d: result %s", i+1, s.Result)
		}
		var errDoc map[string]any
		isDoc := json.Unmarshal(s.Error, &errDoc) == nil && errDoc != nil
		switch {
		case want[i] == 0 && string(s.Error) != "null":
			t.Errorf("step %d: error %s", i+1, s.Error)
		case want[i] == 4 && !isDoc:
			// lookup's missing key is its result, not an error document:
			// the error is its summary line.
			if string(s.Error) != `"0 keys found, 1 missing"` || !strings.Contains(compact(t, s.Result), `"status":"missing"`) {
				t.Errorf("step %d: error %s, result %s, want a missing key", i+1, s.Error, s.Result)
			}
		case want[i] != 0 && (!isDoc || errDoc["hint"] == nil || errDoc["exit_status"] != float64(want[i])):
			t.Errorf("step %d: error %s, want a hint and exit_status %d", i+1, s.Error, want[i])
		}
	}
	// The request's id reached the next step, shown as the variable.
	if c := doc.Steps[6].Command; !strings.HasPrefix(c, "REQUEST_ID=$(") || !strings.HasSuffix(c, " | jq -r .id)") {
		t.Errorf("step 7 does not set REQUEST_ID: %s", c)
	}
	if c := doc.Steps[7].Command; !strings.Contains(c, ` "$REQUEST_ID" `) || !strings.Contains(compact(t, doc.Steps[7].Result), `"status":"blobMissing"`) {
		t.Errorf("step 8 does not use $REQUEST_ID: %s\n%s", c, doc.Steps[7].Result)
	}
	noSecrets(t, out)
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}

// compact is a JSON document without the indentation.
func compact(t *testing.T, doc json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Compact(&b, doc); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestDemoKeep(t *testing.T) {
	keep := filepath.Join(t.TempDir(), "out")
	out, errOut, code, tmp := runDemo(t, "demo", "--keep", keep)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, pattern := range []string{"reports/*.zip", "logs/*.zip", "symbols/demo.exe"} {
		if m, _ := filepath.Glob(filepath.Join(keep, pattern)); len(m) == 0 {
			t.Errorf("--keep: no %s", pattern)
		}
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("--keep still used TMPDIR: %v", left)
	}
	// A second run into the same directory is refused before anything.
	_, errOut, code, _ = runDemo(t, "demo", "--keep", keep)
	if code != 2 || !strings.Contains(errOut, "not empty") {
		t.Errorf("second --keep run: exit %d, stderr %q", code, errOut)
	}
}
