package emulator

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Server is an emulator listening in-process: for `diagctl emulator`,
// `diagctl demo` and end-to-end tests.
type Server struct {
	*Emulator
	// URL is where clients reach it, e.g. http://127.0.0.1:41234. When it
	// listens on every interface, URL names the loopback address.
	URL string
	// Addr is the address it listens on, with the real port.
	Addr net.Addr

	srv    *http.Server
	cancel context.CancelFunc
}

// Start serves a new emulator on a free loopback port.
func Start(o Options) (*Server, error) { return Listen("127.0.0.1:0", o) }

// Listen serves a new emulator on addr ("host:port"; port 0 picks a free
// one). Whether addr may be a non-loopback address is the caller's call.
func Listen(addr string, o Options) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	// Every request's context derives from base: cancelling it releases the
	// handlers that wait on purpose (stall, slow) without cutting ordinary
	// downloads short.
	base, cancel := context.WithCancel(context.Background())
	e := New(o)
	s := &Server{
		Emulator: e,
		URL:      "http://" + reachable(ln.Addr()),
		Addr:     ln.Addr(),
		cancel:   cancel,
		srv: &http.Server{
			Handler:           e,
			BaseContext:       func(net.Listener) context.Context { return base },
			ConnState:         e.connState,
			ReadHeaderTimeout: 30 * time.Second,
			// Dropped connections are deliberate; the server's complaints
			// about them would only be noise on the user's terminal.
			ErrorLog: log.New(io.Discard, "", 0),
		},
	}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// reachable is addr with an unspecified IP (0.0.0.0, ::) replaced by
// loopback, so the URL can be used from this machine.
func reachable(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return addr.String()
	}
	ip := tcp.IP
	if ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
		if tcp.IP.To4() == nil {
			ip = net.IPv6loopback
		}
	}
	return net.JoinHostPort(ip.String(), strconv.Itoa(tcp.Port))
}

// Shutdown stops accepting connections, releases stalled and slow answers
// and waits for the other requests to finish or ctx to end, after which
// the remaining connections are closed.
func (s *Server) Shutdown(ctx context.Context) error {
	s.cancel()
	err := s.srv.Shutdown(ctx)
	if err != nil {
		_ = s.srv.Close()
	}
	return err
}

// Close stops the server at once, closing every connection.
func (s *Server) Close() error {
	s.cancel()
	return s.srv.Close()
}
