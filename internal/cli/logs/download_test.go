package logs

import (
	"testing"

	"github.com/diagctl/diagctl/internal/cmdutil/cmdutiltest"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
)

const goodID = "a777ff00d3cf4d369d87066806ae0001"

func TestDownloadFlags(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantExit int
		wantIDs  int
	}{
		{name: "one id", args: []string{goodID}, wantIDs: 1},
		{name: "several", args: []string{goodID, "A777FF00D3CF4D369D87066806AE0002"}, wantIDs: 2},
		{name: "token from stdin", args: []string{"--token-stdin", goodID}, wantIDs: 1},
		{name: "31 chars", args: []string{goodID[:31]}, wantExit: exit.Usage},
		{name: "33 chars", args: []string{goodID + "0"}, wantExit: exit.Usage},
		{name: "dash", args: []string{"a777ff00-3cf4d369d87066806ae0001"}, wantExit: exit.Usage},
		{name: "stdin twice", args: []string{"--token-stdin", "--from-file", "-"}, wantExit: exit.Usage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := cmdutiltest.NewFactory(t, ios, nil)
			var got *DownloadOptions
			cmd := NewCmdDownload(f, func(o *DownloadOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(ios.Out)
			cmd.SetErr(ios.ErrOut)
			err := cmd.Execute()
			if code := exit.Code(err); code != tt.wantExit {
				t.Fatalf("exit %d (%v), want %d", code, err, tt.wantExit)
			}
			if err == nil && len(got.IDs) != tt.wantIDs {
				t.Errorf("ids %v, want %d", got.IDs, tt.wantIDs)
			}
		})
	}
}
