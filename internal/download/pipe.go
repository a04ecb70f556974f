package download

import (
	"crypto/sha256"
	"hash"
)

// Buffer sizes of the receive path. bufCount buffers of bufSize bytes are
// all the memory one download holds: the receive goroutine fills a
// buffer, writes it to the file and hands it to the hashing goroutine,
// which gives it back once hashed. With a slow disk or a slow hash the
// receiver waits for a free buffer, so memory stays bounded.
var (
	bufSize  = 512 << 10
	bufCount = 4
)

// hashPipe computes SHA-256 off the receive path: on a 2-core machine
// hashing a gigabyte costs about as much CPU as receiving it, so the two
// must overlap. Bytes are handed over in order, so resuming a transfer
// (appending) just keeps feeding the same hash; restarting from zero
// calls reset.
type hashPipe struct {
	h    hash.Hash
	tail *tailBuf // the stream's last bytes, for stdout's ZIP check; may be nil
	free chan []byte
	full chan []byte
	done chan struct{}
	n    int
	shut bool
}

func newHashPipe(keepTail bool) *hashPipe {
	p := &hashPipe{
		h:    sha256.New(),
		free: make(chan []byte, bufCount),
		full: make(chan []byte, bufCount),
		done: make(chan struct{}),
		n:    bufCount,
	}
	if keepTail {
		p.tail = &tailBuf{max: tailMax}
	}
	for range bufCount {
		p.free <- make([]byte, bufSize)
	}
	go p.loop()
	return p
}

func (p *hashPipe) loop() {
	defer close(p.done)
	for b := range p.full {
		p.h.Write(b)
		if p.tail != nil {
			p.tail.write(b)
		}
		p.free <- b[:cap(b)]
	}
}

// get returns an empty buffer, waiting while all are being hashed.
func (p *hashPipe) get() []byte { return <-p.free }

// put returns a buffer that was not sent.
func (p *hashPipe) put(b []byte) { p.free <- b[:cap(b)] }

// send hands b (already written out) to the hash; b must not be touched
// afterwards.
func (p *hashPipe) send(b []byte) { p.full <- b }

// reset waits until everything sent has been hashed and starts a fresh
// hash: the transfer restarts from byte zero.
func (p *hashPipe) reset() {
	bufs := make([][]byte, 0, p.n)
	for range p.n {
		bufs = append(bufs, <-p.free) // all back: the hasher is idle
	}
	p.h.Reset()
	if p.tail != nil {
		p.tail.reset()
	}
	for _, b := range bufs {
		p.free <- b
	}
}

// sum waits for the hash of everything sent and stops the hasher.
func (p *hashPipe) sum() []byte {
	p.close()
	return p.h.Sum(nil)
}

// close stops the hasher; safe to call more than once, from the
// goroutine that sends.
func (p *hashPipe) close() {
	if !p.shut {
		p.shut = true
		close(p.full)
	}
	<-p.done
}

// tailMax keeps enough of the stream's end to find the ZIP's end of
// central directory record: 22 bytes, a comment of up to 65535 bytes, and
// before it the ZIP64 locator (20) and ZIP64 record (56).
const tailMax = 22 + 65535 + 20 + 56

// tailBuf keeps the last max bytes written to it.
type tailBuf struct {
	buf []byte
	max int
}

func (t *tailBuf) write(p []byte) {
	if len(p) >= t.max {
		t.buf = append(t.buf[:0], p[len(p)-t.max:]...)
		return
	}
	if over := len(t.buf) + len(p) - t.max; over > 0 {
		n := copy(t.buf, t.buf[over:])
		t.buf = t.buf[:n]
	}
	t.buf = append(t.buf, p...)
}

func (t *tailBuf) reset() { t.buf = t.buf[:0] }
