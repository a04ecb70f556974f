package httpx

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"
)

// watchedBody fails a transfer that stalls, and releases the request's
// context and timeout when the body is closed. A read error is handed to
// fail, which gives it the request's context and exit status.
type watchedBody struct {
	rc      io.ReadCloser
	stall   time.Duration
	timer   *time.Timer
	fail    func(error) error
	release func()
	once    sync.Once
}

func newWatchedBody(rc io.ReadCloser, stall time.Duration, cancel context.CancelCauseFunc, release func(), fail func(error) error) *watchedBody {
	b := &watchedBody{rc: rc, stall: stall, release: release, fail: fail}
	b.timer = time.AfterFunc(stall, func() { cancel(ErrStalled) })
	return b
}

func (b *watchedBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if n > 0 {
		b.timer.Reset(b.stall)
	}
	if err != nil && !errors.Is(err, io.EOF) && b.fail != nil {
		err = b.fail(err)
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
