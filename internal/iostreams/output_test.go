package iostreams

import (
	"bytes"
	"testing"
)

func TestTable(t *testing.T) {
	for _, tt := range []struct {
		tty    bool
		header []string
		want   string
	}{
		{false, []string{"KEY", "VALUE"}, "KEY\tVALUE\nsandbox.server\tlab.example\nx\t-\n"},
		{false, nil, "sandbox.server\tlab.example\nx\t-\n"},
		{true, []string{"KEY", "VALUE"}, "KEY             VALUE\nsandbox.server  lab.example\nx               -\n"},
	} {
		ios, _, out, _ := Test()
		ios.SetTTY(false, tt.tty, false)
		tab := ios.NewTable(tt.header...)
		tab.Row("sandbox.server", "lab.example")
		tab.Row("x", "-")
		if err := tab.Print(); err != nil || out.String() != tt.want {
			t.Errorf("tty=%v header=%v: %q, %v; want %q", tt.tty, tt.header, out, err, tt.want)
		}
	}
}

func TestWriteJSON(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, map[string]any{"a": "<x&y>", "n": 1}); err != nil || b.String() != "{\n  \"a\": \"<x&y>\",\n  \"n\": 1\n}\n" {
		t.Errorf("%q %v", b.String(), err)
	}
	b.Reset()
	if err := WriteJSONLine(&b, map[string]any{"error": "x"}); err != nil || b.String() != "{\"error\":\"x\"}\n" {
		t.Errorf("%q %v", b.String(), err)
	}
	b.Reset()
	if err := WriteJSON(&b, func() {}); err == nil || b.Len() != 0 {
		t.Errorf("unencodable value: %q %v", b.String(), err)
	}
}
