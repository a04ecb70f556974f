package prompt

import (
	"errors"
	"io"
	"testing"
)

func TestReadNonEmptyLine(t *testing.T) {
	for _, tt := range []struct {
		in, want, rest string
		err            error
	}{
		{"s3cret\nid\n", "s3cret", "id\n", nil},
		{"", "", "", ErrNoInput},
		{"\n", "", "", ErrEmptyLine},
		{"\r\nid\n", "", "id\n", ErrEmptyLine},
	} {
		for kind, r := range readers(tt.in) {
			got, err := ReadNonEmptyLine(r)
			if got != tt.want || !errors.Is(err, tt.err) {
				t.Errorf("%s: ReadNonEmptyLine(%q) = %q, %v; want %q, %v", kind, tt.in, got, err, tt.want, tt.err)
			}
			if kind == "bufio" {
				continue
			}
			if rest, _ := io.ReadAll(r); string(rest) != tt.rest {
				t.Errorf("%s: left %q, want %q", kind, rest, tt.rest)
			}
		}
	}
	if ErrEmptyLine.Error() != "stdin held an empty line" {
		t.Errorf("message %q", ErrEmptyLine)
	}
}
