//go:build !unix

package cmdutiltest

import (
	"errors"
	"net"
)

// DialGate needs a socket that is bound but not listening, which the
// portable net package cannot make; tests that use it skip elsewhere.
type DialGate struct{ Addr, URL string }

// NewDialGate reports errors.ErrUnsupported off Unix.
func NewDialGate() (*DialGate, error) { return nil, errors.ErrUnsupported }

func (g *DialGate) Open() (net.Listener, error) { return nil, errors.ErrUnsupported }
func (g *DialGate) Close() error                { return nil }
