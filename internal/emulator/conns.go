package emulator

import (
	"context"
	"net"
	"net/http"
	"sync"
)

// statsPath answers {"connections":N,"open":M}: the TCP connections
// accepted since start and those still open, so a benchmark can show how
// many connections a client opened for a batch of downloads.
const statsPath = "/_emulator/stats"

// connCounter counts connections through http.Server.ConnState.
type connCounter struct {
	mu      sync.Mutex
	total   int64
	open    int64
	changed chan struct{} // closed and replaced at every change
}

// connState is the Server's ConnState hook.
func (e *Emulator) connState(_ net.Conn, s http.ConnState) {
	c := &e.conns
	c.mu.Lock()
	defer c.mu.Unlock()
	switch s {
	case http.StateNew:
		c.total++
		c.open++
	case http.StateClosed, http.StateHijacked:
		c.open--
	default:
		return
	}
	if c.changed != nil {
		close(c.changed)
		c.changed = nil
	}
}

// Connections returns the connections accepted so far and those open now.
// Only a Server (Start, Listen) counts them.
func (e *Emulator) Connections() (total, open int64) {
	e.conns.mu.Lock()
	defer e.conns.mu.Unlock()
	return e.conns.total, e.conns.open
}

// WaitConnsClosed returns once no connection is open, or with ctx's error.
func (e *Emulator) WaitConnsClosed(ctx context.Context) error {
	c := &e.conns
	for {
		c.mu.Lock()
		if c.open <= 0 {
			c.mu.Unlock()
			return nil
		}
		if c.changed == nil {
			c.changed = make(chan struct{})
		}
		ch := c.changed
		c.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (e *Emulator) serveStats(w http.ResponseWriter) {
	total, open := e.Connections()
	writeJSON(w, http.StatusOK, "application/json", map[string]int64{"connections": total, "open": open})
}
