package download

import (
	"errors"
	"io"
	"os"
	"path/filepath"

	"github.com/diagctl/diagctl/internal/exit"
)

// writebackChunk: how much is written before the kernel is asked to
// start writing it to disk (see startWriteback).
var writebackChunk int64 = 8 << 20

// sink is where the bytes go: the temporary file, or stdout.
type sink interface {
	write(p []byte) error
	// truncate goes back to zero bytes; errCannotRestart if impossible.
	truncate() error
}

var errCannotRestart = errors.New("cannot restart: bytes already written to stdout")

type fileSink struct {
	f       *os.File
	name    string // what messages call the file (its final path)
	off     int64
	flushed int64      // start of the range not yet handed to writeback
	wb      *writeback // nil where the platform has none
}

func (s *fileSink) write(p []byte) error {
	n, err := s.f.Write(p)
	s.off += int64(n)
	if err != nil {
		return exit.Wrapf(err, exit.Failure, "check free space and permissions in "+filepath.Dir(s.name), "cannot write %s", s.name)
	}
	if s.wb != nil && s.off-s.flushed >= writebackChunk && s.wb.request(s.flushed, s.off-s.flushed) {
		s.flushed = s.off
	}
	return nil
}

// close stops the writeback goroutine (the file stays open).
func (s *fileSink) close() {
	if s.wb != nil {
		s.wb.stop()
		s.wb = nil
	}
}

// writeback starts the kernel writing finished ranges of the file to
// disk while the transfer goes on (see startWriteback), from its own
// goroutine: when the disk is busy the call blocks, and the receive path
// must not wait for the disk. A request made while one is running is
// dropped; the next one covers its range.
type writeback struct {
	f    *os.File
	req  chan [2]int64
	done chan struct{}
}

func newWriteback(f *os.File) *writeback {
	if !haveWriteback {
		return nil
	}
	w := &writeback{f: f, req: make(chan [2]int64, 1), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		for r := range w.req {
			startWriteback(w.f, r[0], r[1])
		}
	}()
	return w
}

func (w *writeback) request(off, n int64) bool {
	select {
	case w.req <- [2]int64{off, n}:
		return true
	default:
		return false
	}
}

func (w *writeback) stop() {
	close(w.req)
	<-w.done
}

func (s *fileSink) truncate() error {
	if err := s.f.Truncate(0); err != nil {
		return exit.Wrapf(err, exit.Failure, "check free space and permissions in "+filepath.Dir(s.name), "cannot write %s", s.name)
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return exit.Wrapf(err, exit.Failure, "check free space and permissions in "+filepath.Dir(s.name), "cannot write %s", s.name)
	}
	s.off, s.flushed = 0, 0
	return nil
}

type streamSink struct{ w io.Writer }

func (s *streamSink) write(p []byte) error {
	if _, err := s.w.Write(p); err != nil {
		return exit.Wrapf(err, exit.Failure, "check where stdout goes (a full disk, a closed pipe)", "cannot write the archive to stdout")
	}
	return nil
}

func (s *streamSink) truncate() error { return errCannotRestart }
