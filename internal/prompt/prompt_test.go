package prompt

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// plainReader hides every method but Read (no ReadByte, no WriteTo).
type plainReader struct{ r io.Reader }

func (p plainReader) Read(b []byte) (int, error) { return p.r.Read(b) }

// readers gives the same input through each path ReadLine takes.
func readers(s string) map[string]io.Reader {
	return map[string]io.Reader{
		"plain":        plainReader{strings.NewReader(s)},
		"byte reader":  bytes.NewBufferString(s),
		"bufio":        bufio.NewReader(strings.NewReader(s)),
		"one byte":     iotest.OneByteReader(strings.NewReader(s)),
		"data and EOF": iotest.DataErrReader(strings.NewReader(s)),
	}
}

func TestReadLine(t *testing.T) {
	long := strings.Repeat("x", 100_000)
	tests := []struct {
		name, in, want string
	}{
		{"newline", "hunter2\n", "hunter2"},
		{"crlf", "hunter2\r\n", "hunter2"},
		{"no trailing newline", "hunter2", "hunter2"},
		{"empty", "", ""},
		{"only newline", "\n", ""},
		{"100,000 characters", long + "\n", long},
		{"100,000 characters crlf", long + "\r\n", long},
		{"100,000 characters no newline", long, long},
		{"inner spaces kept", " a b \n", " a b "},
		{"first line only", "one\ntwo\n", "one"},
	}
	for _, tt := range tests {
		for kind, r := range readers(tt.in) {
			t.Run(tt.name+"/"+kind, func(t *testing.T) {
				got, err := ReadLine(r)
				if err != nil || got != tt.want {
					t.Errorf("ReadLine = %.40q (%d bytes), %v; want %.40q (%d bytes)", got, len(got), err, tt.want, len(tt.want))
				}
			})
		}
	}
}

// The secret comes first on stdin and whatever follows (IDs for
// --from-file -) must still be there for the next reader.
func TestReadLineDoesNotConsumePastNewline(t *testing.T) {
	in := "s3cret\r\nid-1\nid-2\n"
	for kind, r := range readers(in) {
		t.Run(kind, func(t *testing.T) {
			got, err := ReadLine(r)
			if err != nil || got != "s3cret" {
				t.Fatalf("ReadLine = %q, %v", got, err)
			}
			rest, _ := io.ReadAll(r)
			if string(rest) != "id-1\nid-2\n" {
				t.Errorf("left %q, want %q", rest, "id-1\nid-2\n")
			}
		})
	}
	t.Run("pipe", func(t *testing.T) {
		pr, pw, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer pr.Close()
		go func() {
			io.WriteString(pw, in)
			pw.Close()
		}()
		if got, err := ReadLine(pr); err != nil || got != "s3cret" {
			t.Fatalf("ReadLine = %q, %v", got, err)
		}
		if rest, _ := io.ReadAll(pr); string(rest) != "id-1\nid-2\n" {
			t.Errorf("left %q", rest)
		}
	})
}

func TestReadLineError(t *testing.T) {
	boom := errors.New("boom")
	for kind, r := range map[string]io.Reader{
		"plain":      plainReader{iotest.ErrReader(boom)},
		"bufio":      bufio.NewReader(iotest.ErrReader(boom)),
		"after data": plainReader{io.MultiReader(strings.NewReader("abc"), iotest.ErrReader(boom))},
	} {
		if _, err := ReadLine(r); !errors.Is(err, boom) {
			t.Errorf("%s: err %v, want boom", kind, err)
		}
	}
}

func FuzzReadLine(f *testing.F) {
	for _, s := range []string{"", "\n", "a\r\nb", "tok\nrest", "\r\r\n", "x\ry\n", strings.Repeat("z", 5000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		first, rest, found := strings.Cut(s, "\n")
		want := strings.TrimSuffix(first, "\r")
		for kind, r := range readers(s) {
			got, err := ReadLine(r)
			if err != nil || got != want {
				t.Fatalf("%s: ReadLine(%q) = %q, %v; want %q", kind, s, got, err, want)
			}
			if kind == "bufio" {
				continue // a bufio.Reader reads ahead into its own buffer
			}
			left, _ := io.ReadAll(r)
			if !found {
				rest = ""
			}
			if string(left) != rest {
				t.Fatalf("%s: ReadLine(%q) left %q, want %q", kind, s, left, rest)
			}
		}
	})
}

func TestSecretNeedsTerminal(t *testing.T) {
	ios, _, _, errOut := iostreams.Test()
	p := &Prompter{IO: ios}
	if _, err := p.Secret(context.Background(), "Password: "); err == nil {
		t.Fatal("prompted without a terminal")
	}
	ios.SetTTY(true, true, true)
	ios.InCompletion = true
	ios.SetStdinFd(0)
	if _, err := p.Secret(context.Background(), "Password: "); err == nil {
		t.Fatal("prompted while completing")
	}
	if errOut.Len() != 0 {
		t.Errorf("label written: %q", errOut.String())
	}
	_ = exit.Usage
}
