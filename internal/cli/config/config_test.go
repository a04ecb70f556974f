package config

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/config"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
)

type harness struct {
	f        *cmdutil.Factory
	path     string
	env      map[string]string
	in       *bytes.Buffer
	out, err *bytes.Buffer
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	ios, in, out, errOut := iostreams.Test()
	h := &harness{
		path: filepath.Join(t.TempDir(), "diagctl", "config.yaml"),
		env:  map[string]string{},
		in:   in, out: out, err: errOut,
	}
	h.f = cmdutil.NewFactory(ios, func(k string) string { return h.env[k] }, "test", context.Background())
	h.f.Globals.ConfigPath = h.path
	return h
}

// run executes `diagctl config ARGS...` on a fresh Factory that shares the
// harness's streams, file and environment (each command line loads the
// configuration anew, as the real binary does).
func (h *harness) run(t *testing.T, args ...string) error {
	t.Helper()
	h.out.Reset()
	h.err.Reset()
	g := *h.f.Globals
	f := cmdutil.NewFactory(h.f.IOStreams, h.f.Getenv, "test", h.f.Context)
	f.Globals, f.Prompter = &g, h.f.Prompter
	cmd := NewCmdConfig(f)
	cmd.SetArgs(args)
	cmd.SetOut(h.out)
	cmd.SetErr(h.err)
	cmd.SilenceErrors = true
	cmd.SilenceUsage = true
	return cmd.Execute()
}

func (h *harness) mustRun(t *testing.T, args ...string) string {
	t.Helper()
	if err := h.run(t, args...); err != nil {
		t.Fatalf("config %s: %v (hint %q)", strings.Join(args, " "), err, exit.Hint(err))
	}
	return h.out.String()
}

func (h *harness) fileMode(t *testing.T) os.FileMode {
	t.Helper()
	st, err := os.Stat(h.path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

func TestSetThenGet(t *testing.T) {
	h := newHarness(t)
	h.mustRun(t, "set", "sandbox.server", "lab.example")
	if !strings.Contains(h.err.String(), "set sandbox.server in "+h.path) {
		t.Errorf("stderr %q", h.err.String())
	}
	if m := h.fileMode(t); m != 0o600 {
		t.Errorf("mode %04o", m)
	}
	if got := h.mustRun(t, "get", "sandbox.server"); got != "lab.example\n" {
		t.Errorf("get = %q", got)
	}
	// Keys are case-insensitive.
	if got := h.mustRun(t, "get", "Sandbox.Server"); got != "lab.example\n" {
		t.Errorf("get mixed case = %q", got)
	}
	// The environment beats the file.
	h.env["DIAGCTL_SANDBOX_SERVER"] = "env.example"
	if got := h.mustRun(t, "get", "sandbox.server"); got != "env.example\n" {
		t.Errorf("get with env = %q", got)
	}
	h.f.Globals.JSON = true
	var e listEntry
	if err := json.Unmarshal([]byte(h.mustRun(t, "get", "sandbox.server")), &e); err != nil || e.Source != "env DIAGCTL_SANDBOX_SERVER" || e.Value != "env.example" {
		t.Errorf("get --json = %+v, %v", e, err)
	}
	h.f.Globals.JSON = false
	delete(h.env, "DIAGCTL_SANDBOX_SERVER")

	h.mustRun(t, "unset", "sandbox.server")
	err := h.run(t, "get", "sandbox.server")
	if exit.Code(err) != exit.Failure || !strings.Contains(exit.Hint(err), "config set sandbox.server") {
		t.Errorf("get after unset: %v (hint %q)", err, exit.Hint(err))
	}
	// A default is a value.
	if got := h.mustRun(t, "get", "symbols.auth"); got != "pat\n" {
		t.Errorf("get symbols.auth = %q", got)
	}
}

func TestListRedactsAndShowsSources(t *testing.T) {
	h := newHarness(t)
	os.MkdirAll(filepath.Dir(h.path), 0o700)
	os.WriteFile(h.path, []byte("sandbox:\n  server: lab.example\n  password: file-pw-123\n"), 0o600)
	h.env["DIAGCTL_SANDBOX_USER"] = "alice"
	h.env["AZURE_DEVOPS_EXT_PAT"] = "pat-secret-456"

	out := h.mustRun(t, "list")
	for _, secret := range []string{"file-pw-123", "pat-secret-456"} {
		if strings.Contains(out, secret) {
			t.Errorf("list shows a secret:\n%s", out)
		}
	}
	lines := map[string][]string{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		fields := strings.Fields(l)
		lines[fields[0]] = fields[1:]
	}
	want := map[string]string{
		"KEY":                  "VALUE SOURCE",
		"sandbox.server":       "lab.example file",
		"sandbox.user":         "alice env DIAGCTL_SANDBOX_USER",
		"sandbox.password":     "[redacted] file",
		"symbols.token":        "[redacted] env AZURE_DEVOPS_EXT_PAT",
		"symbols.url":          "https://artifacts.dev.azure.com default",
		"logs.token":           "- -",
		"report-task.insecure": "- -",
	}
	for k, v := range want {
		if got := strings.Join(lines[k], " "); got != v {
			t.Errorf("list %s = %q, want %q", k, got, v)
		}
	}
	if len(lines) != len(config.Settings)+1 {
		t.Errorf("list has %d lines, want %d", len(lines), len(config.Settings)+1)
	}

	h.f.Globals.JSON = true
	out = h.mustRun(t, "list")
	var entries []listEntry
	if err := json.Unmarshal([]byte(out), &entries); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "file-pw-123") || strings.Contains(out, "pat-secret-456") {
		t.Errorf("list --json shows a secret:\n%s", out)
	}
	got := map[string]listEntry{}
	for _, e := range entries {
		got[e.Key] = e
	}
	if e := got["sandbox.password"]; e.Value != "[redacted]" || e.Source != "file" {
		t.Errorf("json sandbox.password = %+v", e)
	}
	if e := got["logs.token"]; e.Value != "" || e.Source != "" {
		t.Errorf("json logs.token = %+v", e)
	}

	// get redacts too.
	h.f.Globals.JSON = false
	if got := h.mustRun(t, "get", "sandbox.password"); got != "[redacted]\n" {
		t.Errorf("get sandbox.password = %q", got)
	}
}

func TestSetSecret(t *testing.T) {
	t.Run("value on the command line refused", func(t *testing.T) {
		h := newHarness(t)
		err := h.run(t, "set", "sandbox.password", "hunter2")
		if exit.Code(err) != exit.Usage || !strings.Contains(exit.Hint(err), "stdin") {
			t.Errorf("err %v (exit %d, hint %q)", err, exit.Code(err), exit.Hint(err))
		}
		if _, err := os.Stat(h.path); !os.IsNotExist(err) {
			t.Error("a file was written")
		}
	})
	t.Run("piped on stdin", func(t *testing.T) {
		h := newHarness(t)
		// The environment and an old value in the file are not the new value.
		h.env["DIAGCTL_SANDBOX_PASSWORD"] = "from-env"
		os.MkdirAll(filepath.Dir(h.path), 0o700)
		os.WriteFile(h.path, []byte("sandbox:\n  password: old\n"), 0o600)
		h.in.WriteString("hunter2\n")
		h.mustRun(t, "set", "sandbox.password")
		if m := h.fileMode(t); m != 0o600 {
			t.Errorf("mode %04o", m)
		}
		data, _ := os.ReadFile(h.path)
		if !strings.Contains(string(data), "hunter2") {
			t.Errorf("file:\n%s", data)
		}
		if strings.Contains(h.out.String()+h.err.String(), "hunter2") {
			t.Error("the secret was printed")
		}
		delete(h.env, "DIAGCTL_SANDBOX_PASSWORD")
		cfg, err := config.Load(h.path, "", func(k string) string { return h.env[k] })
		if err != nil || cfg.String("sandbox.password") != "hunter2" {
			t.Errorf("reloaded: %v", err)
		}
	})
	t.Run("new file is 0600", func(t *testing.T) {
		h := newHarness(t)
		h.in.WriteString("tok\n")
		h.mustRun(t, "set", "logs.token")
		if m := h.fileMode(t); m != 0o600 {
			t.Errorf("mode %04o", m)
		}
		st, _ := os.Stat(filepath.Dir(h.path))
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("directory mode %04o", st.Mode().Perm())
		}
	})
	t.Run("empty stdin refused", func(t *testing.T) {
		h := newHarness(t)
		h.in.WriteString("\n")
		if err := h.run(t, "set", "symbols.token"); exit.Code(err) != exit.Usage {
			t.Errorf("err %v", err)
		}
		if _, err := os.Stat(h.path); !os.IsNotExist(err) {
			t.Error("a file was written")
		}
	})
}

func TestSetErrors(t *testing.T) {
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"set", "sandbox.nope", "x"}, exit.Usage},
		{[]string{"get", "sandbox.nope"}, exit.Usage},
		{[]string{"unset", "nope"}, exit.Usage},
		{[]string{"set", "sandbox.server"}, exit.Usage},
		{[]string{"set"}, exit.Usage},
		{[]string{"set", "a", "b", "c"}, exit.Usage},
		{[]string{"get"}, exit.Usage},
		{[]string{"list", "extra"}, exit.Usage},
		{[]string{"set", "sandbox.insecure", "maybe"}, exit.Usage},
		// What set accepts, every command must accept later: "yes" is not a
		// boolean to config.Bool, so set refuses it too.
		{[]string{"set", "sandbox.insecure", "yes"}, exit.Usage},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			h := newHarness(t)
			err := h.run(t, tt.args...)
			if exit.Code(err) != tt.want {
				t.Errorf("err %v: exit %d, want %d", err, exit.Code(err), tt.want)
			}
			if _, err := os.Stat(h.path); !os.IsNotExist(err) {
				t.Error("a file was written")
			}
		})
	}
}

func TestSetInsecureRoundTrip(t *testing.T) {
	for _, v := range []string{"true", "false", "1", "0", "TRUE"} {
		h := newHarness(t)
		h.mustRun(t, "set", "logs.insecure", v)
		cfg, err := config.Load(h.path, "", func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cfg.Bool("logs.insecure"); err != nil {
			t.Errorf("set accepted %q but Bool refuses it: %v", v, err)
		}
	}
}

func TestUnknownKeyHint(t *testing.T) {
	h := newHarness(t)
	err := h.run(t, "get", "sandbox.srever")
	if !strings.Contains(err.Error(), "sandbox.srever") || !strings.Contains(exit.Hint(err), "config list") {
		t.Errorf("err %v, hint %q", err, exit.Hint(err))
	}
}

func TestProfileSetAndUnset(t *testing.T) {
	h := newHarness(t)
	h.mustRun(t, "set", "logs.region", "cn-north-1")
	h.f.Globals.Profile = "prod" // does not exist yet: set creates it
	h.mustRun(t, "set", "logs.region", "cn-north-4")
	if !strings.Contains(h.err.String(), "(profile prod)") {
		t.Errorf("stderr %q", h.err.String())
	}
	if got := h.mustRun(t, "get", "logs.region"); got != "cn-north-4\n" {
		t.Errorf("get in profile = %q", got)
	}
	h.f.Globals.JSON = true
	var e listEntry
	json.Unmarshal([]byte(h.mustRun(t, "get", "logs.region")), &e)
	if e.Source != "profile prod" {
		t.Errorf("source %q", e.Source)
	}
	h.f.Globals.JSON = false

	h.f.Globals.Profile = ""
	if got := h.mustRun(t, "get", "logs.region"); got != "cn-north-1\n" {
		t.Errorf("get at top level = %q", got)
	}
	// DIAGCTL_PROFILE selects the profile too.
	h.env["DIAGCTL_PROFILE"] = "prod"
	if got := h.mustRun(t, "get", "logs.region"); got != "cn-north-4\n" {
		t.Errorf("get with DIAGCTL_PROFILE = %q", got)
	}
	h.mustRun(t, "unset", "logs.region")
	delete(h.env, "DIAGCTL_PROFILE")
	data, _ := os.ReadFile(h.path)
	if strings.Contains(string(data), "prod") || !strings.Contains(string(data), "cn-north-1") {
		t.Errorf("after unset in profile:\n%s", data)
	}
	// An unknown profile is an error for reading commands.
	h.f.Globals.Profile = "staging"
	if err := h.run(t, "list"); exit.Code(err) != exit.Usage {
		t.Errorf("list with unknown profile: %v", err)
	}
}

func TestRefusesOpenSecretFile(t *testing.T) {
	h := newHarness(t)
	os.MkdirAll(filepath.Dir(h.path), 0o700)
	os.WriteFile(h.path, []byte("logs:\n  token: t\n"), 0o600)
	os.Chmod(h.path, 0o644)
	for _, args := range [][]string{{"list"}, {"get", "logs.token"}, {"set", "logs.region", "r"}} {
		err := h.run(t, args...)
		if exit.Code(err) != exit.Usage || !strings.Contains(exit.Hint(err), "chmod 600 "+h.path) {
			t.Errorf("%v: err %v, hint %q", args, err, exit.Hint(err))
		}
	}
}

func TestPath(t *testing.T) {
	h := newHarness(t)
	if got := h.mustRun(t, "path"); got != h.path+"\n" {
		t.Errorf("path = %q", got)
	}
	h.f.Globals.ConfigPath = ""
	h.env["XDG_CONFIG_HOME"] = "/xdg"
	if got := h.mustRun(t, "path"); got != "/xdg/diagctl/config.yaml\n" {
		t.Errorf("path = %q", got)
	}
}

func TestHelpListsKeysAndExitStatus(t *testing.T) {
	h := newHarness(t)
	out := h.mustRun(t, "--help")
	for _, s := range []string{"report-task.user-id", "DIAGCTL_REPORT_TASK_USER_ID", "AZURE_DEVOPS_EXT_PAT", "EXIT STATUS"} {
		if !strings.Contains(out, s) {
			t.Errorf("help lacks %q", s)
		}
	}
}
