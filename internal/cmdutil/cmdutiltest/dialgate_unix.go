//go:build unix

package cmdutiltest

import (
	"fmt"
	"net"
	"os"
	"sync"

	"golang.org/x/sys/unix"
)

// DialGate is a loopback address that refuses connections until Open:
// its socket is bound (so no other program can take the port) but not
// listening, so a connect is refused at once (RST) — the one failure a
// client may retry even for a POST, since nothing was sent. Open starts
// listening on the same port, so the next dial succeeds: a test of "a
// refused connection is retried" needs no timing and no luck.
type DialGate struct {
	// Addr is host:port; URL is http://Addr.
	Addr, URL string

	mu     sync.Mutex
	fd     int
	opened bool
}

// NewDialGate binds a closed gate on 127.0.0.1.
func NewDialGate() (*DialGate, error) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err != nil {
		return nil, err
	}
	unix.CloseOnExec(fd)
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		unix.Close(fd)
		return nil, err
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		unix.Close(fd)
		return nil, err
	}
	in4, ok := sa.(*unix.SockaddrInet4)
	if !ok {
		unix.Close(fd)
		return nil, fmt.Errorf("dial gate: unexpected socket address %T", sa)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", in4.Port)
	return &DialGate{Addr: addr, URL: "http://" + addr, fd: fd}, nil
}

// Open starts listening and returns the listener; later calls fail.
func (g *DialGate) Open() (net.Listener, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.opened {
		return nil, fmt.Errorf("dial gate %s: already open", g.Addr)
	}
	g.opened = true
	if err := unix.Listen(g.fd, 64); err != nil {
		unix.Close(g.fd)
		return nil, err
	}
	f := os.NewFile(uintptr(g.fd), "dial-gate")
	defer f.Close() // FileListener holds its own copy of the descriptor
	return net.FileListener(f)
}

// Close releases the port of a gate that was never opened (an opened
// gate is closed through its listener).
func (g *DialGate) Close() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.opened {
		return nil
	}
	g.opened = true
	return unix.Close(g.fd)
}
