package sandbox

import (
	"testing"

	"github.com/diagctl/diagctl/internal/cmdutil/cmdutiltest"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
)

const goodID = "3f2b8c1e-9a4d-4e6f-8b2a-1c5d7e9f0a3b"

func TestDebugReportFlags(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantExit int
		check    func(t *testing.T, o *DebugReportOptions)
	}{
		{name: "one id", args: []string{goodID}, check: func(t *testing.T, o *DebugReportOptions) {
			if len(o.IDs) != 1 || o.IDs[0] != goodID || o.Flags.Dir != "." || o.Flags.Parallel != 4 {
				t.Errorf("got %+v", o)
			}
		}},
		{name: "flags", args: []string{"-d", "out", "--force", "--parallel", "2", "--extract", "x", "--password-stdin", goodID, goodID}, check: func(t *testing.T, o *DebugReportOptions) {
			if !o.Flags.Force || o.Flags.Parallel != 2 || o.Flags.Extract != "x" || !o.SecretStdin || len(o.IDs) != 1 {
				t.Errorf("got %+v", o)
			}
		}},
		{name: "braced GUID accepted", args: []string{"{" + goodID + "}"}},
		{name: "not a GUID", args: []string{"1234"}, wantExit: exit.Usage},
		{name: "no id", args: nil, wantExit: exit.Usage},
		{name: "-o with two ids", args: []string{"-o", "a.zip", goodID, "3f2b8c1e-9a4d-4e6f-8b2a-1c5d7e9f0a3c"}, wantExit: exit.Usage},
		{name: "stdin twice", args: []string{"--password-stdin", "--from-file", "-"}, wantExit: exit.Usage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, stdin, _, _ := iostreams.Test()
			stdin.WriteString(goodID + "\n")
			f := cmdutiltest.NewFactory(t, ios, nil)
			var got *DebugReportOptions
			cmd := NewCmdDebugReport(f, func(o *DebugReportOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(ios.Out)
			cmd.SetErr(ios.ErrOut)
			err := cmd.Execute()
			if code := exit.Code(err); code != tt.wantExit {
				t.Fatalf("exit %d (%v), want %d", code, err, tt.wantExit)
			}
			if err == nil && tt.check != nil {
				tt.check(t, got)
			}
			if err != nil && got != nil {
				t.Error("run was called despite a usage error")
			}
		})
	}
}
