package cmdutiltest

import (
	"errors"
	"net"
	"syscall"
	"testing"
)

// TestDialGate: refused while closed, accepted once open, on the same port.
func TestDialGate(t *testing.T) {
	g, err := NewDialGate()
	if errors.Is(err, errors.ErrUnsupported) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if c, err := net.Dial("tcp", g.Addr); !errors.Is(err, syscall.ECONNREFUSED) {
		if c != nil {
			c.Close()
		}
		t.Fatalf("dial before Open: %v, want connection refused", err)
	}
	ln, err := g.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if ln.Addr().String() != g.Addr {
		t.Errorf("listening on %s, want %s", ln.Addr(), g.Addr)
	}
	accepted := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			c.Close()
		}
		accepted <- err
	}()
	c, err := net.Dial("tcp", g.Addr)
	if err != nil {
		t.Fatalf("dial after Open: %v", err)
	}
	c.Close()
	if err := <-accepted; err != nil {
		t.Fatal(err)
	}
	if _, err := g.Open(); err == nil {
		t.Error("a second Open succeeded")
	}
}
