package prompt

import (
	"errors"
	"io"
)

// The two ways a secret piped on stdin can be empty. They need different
// fixes: nothing was piped at all, or the variable that was piped is unset
// (printf '%s\n' "$UNSET" gives one empty line).
var (
	ErrNoInput   = errors.New("stdin was empty")
	ErrEmptyLine = errors.New("stdin held an empty line")
)

// ReadNonEmptyLine reads one line as ReadLine does; an empty line is
// ErrEmptyLine and no input at all ErrNoInput.
func ReadNonEmptyLine(r io.Reader) (string, error) {
	cr := &countingReader{r: r}
	line, err := ReadLine(cr)
	switch {
	case err != nil:
		return "", err
	case line != "":
		return line, nil
	case cr.n == 0:
		return "", ErrNoInput
	}
	return "", ErrEmptyLine
}

// countingReader counts what was read. It offers Read alone, so ReadLine
// reads it a byte at a time and consumes nothing past the line.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
