package emulator

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/cmdutil/cmdutiltest"
	emu "github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
)

func TestEmulatorFlags(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantExit int
		check    func(t *testing.T, o *Options)
	}{
		{name: "defaults", check: func(t *testing.T, o *Options) {
			if o.Addr != "127.0.0.1:8080" || o.Fault != "" || o.RadarFault != "" || o.BigSize != 64<<20 || o.SlowRate != 512<<10 || o.AllowRemote || o.RequirePreview || o.RequireAPIKey {
				t.Errorf("got %+v", o)
			}
		}},
		{name: "all flags", args: []string{"--addr", "127.0.0.1:0", "--fault", "drop", "--big-size", "1GiB", "--slow-rate", "1MiB", "--require-preview", "--require-api-key"},
			check: func(t *testing.T, o *Options) {
				if o.Addr != "127.0.0.1:0" || o.Fault != emu.FaultDrop || o.BigSize != 1<<30 || o.SlowRate != 1<<20 || !o.RequirePreview || !o.RequireAPIKey {
					t.Errorf("got %+v", o)
				}
			}},
		{name: "plain bytes", args: []string{"--big-size", "1000000"}, check: func(t *testing.T, o *Options) {
			if o.BigSize != 1000000 {
				t.Errorf("BigSize %d", o.BigSize)
			}
		}},
		{name: "512MiB", args: []string{"--big-size", "512MiB"}, check: func(t *testing.T, o *Options) {
			if o.BigSize != 512<<20 {
				t.Errorf("BigSize %d", o.BigSize)
			}
		}},
		{name: "every fault", args: []string{"--fault", "503"}},
		{name: "stall", args: []string{"--fault", "stall"}},
		{name: "localhost", args: []string{"--addr", "localhost:9000"}},
		{name: "ipv6 loopback", args: []string{"--addr", "[::1]:0"}},
		{name: "remote allowed", args: []string{"--addr", "0.0.0.0:8080", "--allow-remote"}},
		{name: "remote refused", args: []string{"--addr", "0.0.0.0:8080"}, wantExit: exit.Usage},
		{name: "all interfaces refused", args: []string{"--addr", ":8080"}, wantExit: exit.Usage},
		{name: "host name refused", args: []string{"--addr", "example.com:8080"}, wantExit: exit.Usage},
		{name: "lan address refused", args: []string{"--addr", "192.168.1.10:8080"}, wantExit: exit.Usage},
		{name: "no port", args: []string{"--addr", "127.0.0.1"}, wantExit: exit.Usage},
		{name: "bad fault", args: []string{"--fault", "explode"}, wantExit: exit.Usage},
		{name: "radar fault", args: []string{"--radar-fault", "drop"}, check: func(t *testing.T, o *Options) {
			if o.RadarFault != emu.RadarFaultDrop || o.Fault != "" {
				t.Errorf("got %+v", o)
			}
		}},
		{name: "no radar fault", args: []string{"--radar-fault", "none"}, check: func(t *testing.T, o *Options) {
			if o.RadarFault != emu.FaultNone {
				t.Errorf("RadarFault %q", o.RadarFault)
			}
		}},
		{name: "bad radar fault", args: []string{"--radar-fault", "slowish"}, wantExit: exit.Usage},
		{name: "bad size", args: []string{"--big-size", "huge"}, wantExit: exit.Usage},
		{name: "tiny size", args: []string{"--big-size", "10"}, wantExit: exit.Usage},
		{name: "zero rate", args: []string{"--slow-rate", "0"}, wantExit: exit.Usage},
		{name: "argument", args: []string{"extra"}, wantExit: exit.Usage},
		{name: "unknown flag", args: []string{"--port", "1"}, wantExit: exit.Usage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := cmdutiltest.NewFactory(t, ios, nil)
			var got *Options
			cmd := NewCmdEmulator(f, func(o *Options) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(io.Discard)
			cmd.SetErr(io.Discard)
			err := cmd.Execute()
			if code := exit.Code(err); code != tt.wantExit {
				t.Fatalf("exit %d (%v), want %d", code, err, tt.wantExit)
			}
			if err != nil && got != nil {
				t.Error("run was called despite a usage error")
			}
			if err == nil && tt.check != nil {
				tt.check(t, got)
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"0": 0, "1048576": 1 << 20, "1GiB": 1 << 30, "1gib": 1 << 30, "512MiB": 512 << 20, "64M": 64 << 20,
		"2GB": 2e9, "10KB": 10000, "10KiB": 10240, "3 MiB": 3 << 20, "100B": 100, "1TiB": 1 << 40,
	} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "GiB", "-1", "1.5GiB", "1XB", "9999999TiB"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) accepted", in)
		}
	}
	if s := formatSize(64 << 20); s != "64MiB" {
		t.Errorf("formatSize = %q", s)
	}
}

// A run on port 0 prints the description with the real port, serves, and
// stops cleanly when its context ends.
func TestRunEmulator(t *testing.T) {
	ios, _, out, errOut := iostreams.Test()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := &Options{IO: ios, Context: ctx, Addr: "127.0.0.1:0", BigSize: 1 << 20, SlowRate: 1 << 20}
	var url string
	opts.ready = func(s *emu.Server) {
		url = s.URL
		req, _ := http.NewRequest("GET", s.URL+"/api/v1/sandbox/tasks/"+emu.TaskOK+"/debug_report", nil)
		req.SetBasicAuth(emu.SandboxUser, emu.SandboxPassword)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("request: %v", err)
		} else {
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("status %d", resp.StatusCode)
			}
		}
		cancel()
	}
	if err := runEmulator(opts); err != nil {
		t.Fatalf("run: %v", err)
	}
	if url == "" || strings.HasSuffix(url, ":0") {
		t.Fatalf("url %q", url)
	}
	if !strings.Contains(out.String(), "export DIAGCTL_SANDBOX_SERVER="+url) || !strings.Contains(out.String(), emu.TaskOK) {
		t.Errorf("description:\n%s", out.String())
	}
	if !strings.Contains(errOut.String(), "emulator stopped") {
		t.Errorf("stderr: %s", errOut.String())
	}
	if _, err := http.Get(url); err == nil {
		t.Error("still serving after the context ended")
	}
}

// Through the command with --json: one JSON document, and a context that
// is already over makes it stop at once.
func TestEmulatorCommandJSON(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f := cmdutiltest.NewFactory(t, ios, nil)
	f.Globals.JSON, f.Context = true, ctx
	cmd := NewCmdEmulator(f, nil)
	cmd.SetArgs([]string{"--addr", "127.0.0.1:0"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		URL string            `json:"url"`
		Env map[string]string `json:"env"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("not one JSON document: %v\n%s", err, out)
	}
	if !strings.HasPrefix(doc.URL, "http://127.0.0.1:") || doc.Env["DIAGCTL_LOGS_ENDPOINT"] != doc.URL || doc.Env["DIAGCTL_SANDBOX_USER"] != emu.SandboxUser {
		t.Errorf("doc = %+v", doc)
	}
}

func TestListenFailure(t *testing.T) {
	s, err := emu.Start(emu.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ios, _, _, _ := iostreams.Test()
	err = runEmulator(&Options{IO: ios, Context: context.Background(), Addr: s.Addr.String(), BigSize: 1 << 20, SlowRate: 1})
	if code := exit.Code(err); code != exit.Failure || exit.Hint(err) == "" {
		t.Errorf("busy port: exit %d (%v), hint %q", code, err, exit.Hint(err))
	}
}

func TestHelpHasExitStatus(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	cmd := NewCmdEmulator(cmdutiltest.NewFactory(t, ios, nil), nil)
	if !strings.Contains(cmd.Long, exit.StatusHelp) {
		t.Error("long help lacks the exit statuses")
	}
}

func TestFaultFlagsAreTheEmulatorsModes(t *testing.T) {
	for _, tt := range []struct {
		flag  cmdutil.Enum
		modes []string
	}{{faultModes, emu.FaultModes}, {radarFaultModes, emu.RadarFaultModes}} {
		got := tt.flag.Values()
		want := append([]string{"none"}, tt.modes[1:]...) // modes[0] is "", no fault
		if tt.modes[0] != emu.FaultNone || !slices.Equal(got, want) {
			t.Errorf("flag values %q, emulator modes %q", got, tt.modes)
		}
	}
}
