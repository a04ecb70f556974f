package reporttask

import (
	"testing"

	"github.com/diagctl/diagctl/internal/cmdutil/cmdutiltest"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
)

const (
	instance = "868cf2e9-bd6d-4bac-96ba-2b08120d8cf9"
	report   = "5ed7905a-4735-4cf7-b1ab-521e066fb971"
	task     = "497f6eca-6276-4993-bfeb-53cbbbba6f08"
)

func TestCreateFlags(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantExit int
		check    func(t *testing.T, o *CreateOptions)
	}{
		{name: "all", args: []string{"--interval", "0 6 * * 1", "--instance", instance, "--report-id", report, "--dry-run", "--skip-interval-check", "--api-key-stdin"},
			check: func(t *testing.T, o *CreateOptions) {
				if o.Interval != "0 6 * * 1" || o.Instance != instance || o.ReportID != report || !o.DryRun || !o.SkipIntervalCheck || !o.APIKeyStdin {
					t.Errorf("got %+v", o)
				}
			}},
		{name: "no interval", args: []string{"--instance", instance, "--report-id", report}, wantExit: exit.Usage},
		{name: "no instance", args: []string{"--interval", "0 6 * * 1", "--report-id", report}, wantExit: exit.Usage},
		{name: "no report", args: []string{"--interval", "0 6 * * 1", "--instance", instance}, wantExit: exit.Usage},
		{name: "argument", args: []string{"x", "--interval", "0 6 * * 1", "--instance", instance, "--report-id", report}, wantExit: exit.Usage},
		{name: "api key flag", args: []string{"--api-key", "k", "--interval", "0 6 * * 1", "--instance", instance, "--report-id", report}, wantExit: exit.Usage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := cmdutiltest.NewFactory(t, ios, nil)
			var got *CreateOptions
			cmd := NewCmdCreate(f, func(o *CreateOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(ios.Out)
			cmd.SetErr(ios.ErrOut)
			cmd.SetFlagErrorFunc(func(_ *cobraCommand, err error) error { return &exit.FlagError{Err: err} })
			err := cmd.Execute()
			if code := exitCode(err); code != tt.wantExit {
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

func TestUpdateFlags(t *testing.T) {
	for _, tt := range []struct {
		args     []string
		wantExit int
	}{
		{[]string{task, "--interval", "0 6 * * 1", "--instance", instance}, 0},
		{[]string{"--interval", "0 6 * * 1", "--instance", instance}, exit.Usage},
		{[]string{task, task, "--interval", "0 6 * * 1", "--instance", instance}, exit.Usage},
		{[]string{task, "--instance", instance}, exit.Usage},
		{[]string{task, "--interval", "0 6 * * 1", "--instance", instance, "--report-id", report}, exit.Usage},
	} {
		ios, _, _, _ := iostreams.Test()
		f := cmdutiltest.NewFactory(t, ios, nil)
		var got *UpdateOptions
		cmd := NewCmdUpdate(f, func(o *UpdateOptions) error { got = o; return nil })
		cmd.SetArgs(tt.args)
		cmd.SetOut(ios.Out)
		cmd.SetErr(ios.ErrOut)
		cmd.SetFlagErrorFunc(func(_ *cobraCommand, err error) error { return &exit.FlagError{Err: err} })
		err := cmd.Execute()
		if code := exitCode(err); code != tt.wantExit {
			t.Errorf("%q: exit %d (%v), want %d", tt.args, code, err, tt.wantExit)
		}
		if err == nil && (got == nil || got.TaskID != task) {
			t.Errorf("%q: options %+v", tt.args, got)
		}
	}
}
