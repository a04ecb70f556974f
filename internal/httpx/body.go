package httpx

import (
	"context"
	"io"
	"sync"
	"time"
)

// watchedBody fails a transfer that stalls, and releases the request's
// context and timeout when the body is closed.
type watchedBody struct {
	rc      io.ReadCloser
	stall   time.Duration
	timer   *time.Timer
	release func()
	once    sync.Once
}

func newWatchedBody(rc io.ReadCloser, stall time.Duration, cancel context.CancelCauseFunc, release func()) *watchedBody {
	b := &watchedBody{rc: rc, stall: stall, release: release}
	b.timer = time.AfterFunc(stall, func() { cancel(ErrStalled) })
	return b
}

func (b *watchedBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if n > 0 {
		b.timer.Reset(b.stall)
	}
	return n, err
}

func (b *watchedBody) Close() error {
	err := b.rc.Close()
	b.once.Do(func() {
		b.timer.Stop()
		b.release()
	})
	return err
}
