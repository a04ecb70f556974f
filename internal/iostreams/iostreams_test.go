package iostreams

import (
	"io"
	"testing"
)

func TestTestStreams(t *testing.T) {
	s, in, out, errOut := Test()
	if s.IsStdinTTY() || s.IsStdoutTTY() || s.IsStderrTTY() {
		t.Error("test streams claim a terminal")
	}
	if s.StdinFd() != -1 || s.CanPrompt() || s.ProgressEnabled() {
		t.Errorf("fd %d, CanPrompt %v, ProgressEnabled %v", s.StdinFd(), s.CanPrompt(), s.ProgressEnabled())
	}
	in.WriteString("x")
	if b, _ := io.ReadAll(s.In); string(b) != "x" {
		t.Error("In is not the returned buffer")
	}
	io.WriteString(s.Out, "o")
	io.WriteString(s.Info(), "e")
	if out.String() != "o" || errOut.String() != "e" {
		t.Errorf("out %q, err %q", out, errOut)
	}
}

func TestCanPrompt(t *testing.T) {
	tests := []struct {
		name                        string
		stdin, stdout, stderr, comp bool
		fd                          int
		want                        bool
	}{
		{"all terminals", true, true, true, false, 0, true},
		{"stdout piped", true, false, true, false, 0, true},
		{"stdin piped", false, true, true, false, 0, false},
		{"no descriptor", true, true, true, false, -1, false},
		{"completing", true, true, true, true, 0, false},
	}
	for _, tt := range tests {
		s, _, _, _ := Test()
		s.SetTTY(tt.stdin, tt.stdout, tt.stderr)
		s.SetStdinFd(tt.fd)
		s.InCompletion = tt.comp
		if got := s.CanPrompt(); got != tt.want {
			t.Errorf("%s: CanPrompt = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestProgressEnabled(t *testing.T) {
	tests := []struct {
		name              string
		stderr            bool
		quiet, noProgress bool
		want              bool
	}{
		{"terminal", true, false, false, true},
		{"pipe", false, false, false, false},
		{"quiet", true, true, false, false},
		{"no-progress", true, false, true, false},
	}
	for _, tt := range tests {
		s, _, _, errOut := Test()
		s.SetTTY(false, false, tt.stderr)
		s.Quiet, s.NoProgress = tt.quiet, tt.noProgress
		if got := s.ProgressEnabled(); got != tt.want {
			t.Errorf("%s: ProgressEnabled = %v, want %v", tt.name, got, tt.want)
		}
		// A disabled progress counts and draws nothing.
		if !tt.want {
			p := s.NewProgress(100, "x")
			p.Add(40)
			p.Add(2)
			p.Finish()
			p.Finish()
			if p.Done() != 42 || errOut.Len() != 0 {
				t.Errorf("%s: Done %d, drew %q", tt.name, p.Done(), errOut.String())
			}
		}
	}
}

func TestQuietInfo(t *testing.T) {
	s, _, _, errOut := Test()
	s.Quiet = true
	io.WriteString(s.Info(), "note")
	if errOut.Len() != 0 {
		t.Errorf("quiet wrote %q", errOut.String())
	}
}
