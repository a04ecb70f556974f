package vsohash

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
)

// FileOptions tune File.
type FileOptions struct {
	// Workers hash blocks at once (default: the number of CPUs). Each
	// holds one 2 MiB buffer, so memory is Workers * 2 MiB whatever the
	// file's size.
	Workers int
	// Progress, when set, is called with the bytes of each block hashed
	// (from several goroutines at once).
	Progress func(n int64)
	// Buffers, when set, supplies the block buffers instead of each worker
	// allocating its own: several files hashed at once then share one
	// bound on memory (and on the blocks being hashed at any moment).
	Buffers *BufferPool
}

// BufferPool hands out at most n block buffers at a time, shared by any
// number of File calls. A worker holds one only while it reads and hashes
// one block, so the pool cannot deadlock.
type BufferPool struct{ free chan []byte }

// NewBufferPool makes a pool of n (at least 1) 2 MiB buffers, allocated
// on first use.
func NewBufferPool(n int) *BufferPool {
	p := &BufferPool{free: make(chan []byte, max(n, 1))}
	for range cap(p.free) {
		p.free <- nil
	}
	return p
}

func (p *BufferPool) get(ctx context.Context) ([]byte, error) {
	select {
	case b := <-p.free:
		return b, nil
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
}

// buffers gives a worker its block buffers: a pool's (one per block, so
// the pool bounds the blocks in memory at once), or one of its own.
type buffers struct {
	pool *BufferPool
	own  []byte
}

// acquire takes the right to hold a block; the buffer itself is made only
// when a block has to be read rather than mapped (see fill).
func (b *buffers) acquire(ctx context.Context) ([]byte, error) {
	if b.pool != nil {
		return b.pool.get(ctx)
	}
	return b.own, nil
}

func (b *buffers) release(buf []byte) {
	if b.pool != nil {
		b.pool.free <- buf
	} else {
		b.own = buf
	}
}

// aheadPerWorker bounds how far the workers may run past the oldest block
// not yet chained: the out-of-order results wait in a ring of this many
// slots per worker.
const aheadPerWorker = 4

// File computes the identifier of the first size bytes of r. The 2 MiB
// blocks are independent until the final chain, so workers hash whole
// blocks in parallel (memory-mapped when r is a file on Unix, else read
// with ReadAt into a buffer each); the caller's goroutine chains the block
// hashes in order.
//
// A file shorter than size is an error (it changed while being read).
func File(ctx context.Context, r io.ReaderAt, size int64, opts FileOptions) (ID, error) {
	if size < 0 {
		return ID{}, errors.New("negative size")
	}
	blocks := (size + BlockSize - 1) / BlockSize
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = int(min(int64(workers), max(blocks, 1)))
	if workers == 1 {
		return fileSequential(ctx, r, size, opts)
	}

	window := int64(workers * aheadPerWorker)
	type result struct {
		hash [sha256.Size]byte
		err  error
		done bool
	}
	ring := make([]result, window)
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	// On any return, stop the workers and wait for them: none may still
	// read r once File has returned.
	defer func() { cancel(); wg.Wait() }()

	// tokens holds one slot per block handed out and not yet chained, so
	// no worker starts block i before block i-window is chained.
	tokens := make(chan struct{}, window)
	jobs := make(chan int64)
	results := make(chan struct {
		i int64
		r result
	}, workers)

	go func() {
		defer close(jobs)
		for i := int64(0); i < blocks; i++ {
			select {
			case tokens <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bufs := buffers{pool: opts.Buffers}
			pages := make([]byte, 0, pagesPerBlock*sha256.Size)
			for i := range jobs {
				h, err := hashBlock(ctx, r, i, size, &bufs, pages)
				if err == nil && opts.Progress != nil {
					opts.Progress(min(BlockSize, size-i*BlockSize))
				}
				select {
				case results <- struct {
					i int64
					r result
				}{i, result{hash: h, err: err, done: true}}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	c := newChain()
	next := int64(0)
	for next < blocks {
		if err := context.Cause(ctx); err != nil {
			return ID{}, err
		}
		var got struct {
			i int64
			r result
		}
		var ok bool
		select {
		case got, ok = <-results:
		case <-ctx.Done():
			return ID{}, context.Cause(ctx)
		}
		if !ok {
			return ID{}, context.Cause(ctx)
		}
		if got.r.err != nil {
			return ID{}, got.r.err
		}
		ring[got.i%window] = got.r
		for next < blocks && ring[next%window].done {
			c.add(ring[next%window].hash)
			ring[next%window] = result{}
			next++
			<-tokens
		}
	}
	return c.sum(), nil
}

// hashBlock reads block i into a buffer and returns its hash.
func hashBlock(ctx context.Context, r io.ReaderAt, i, size int64, bufs *buffers, pages []byte) ([sha256.Size]byte, error) {
	off := i * BlockSize
	n := min(BlockSize, size-off)
	// The right to a buffer is taken even when the block is mapped: the
	// pool bounds how many blocks are in memory at once either way.
	buf, err := bufs.acquire(ctx)
	if err != nil {
		return [sha256.Size]byte{}, err
	}
	defer func() { bufs.release(buf) }()
	if m, unmap, ok := mapBlock(r, off, n); ok {
		defer unmap()
		var h [sha256.Size]byte
		if err := hashMapped(func() { h = hashPages(m, pages) }); err != nil {
			return h, err
		}
		return h, nil
	}
	if buf == nil {
		buf = make([]byte, BlockSize)
	}
	b := buf[:n]
	if got, err := r.ReadAt(b, off); err != nil && !(got == len(b) && errors.Is(err, io.EOF)) {
		if errors.Is(err, io.EOF) {
			return [sha256.Size]byte{}, fmt.Errorf("file ended at %d bytes, expected %d: it changed while being read", off+int64(got), size)
		}
		return [sha256.Size]byte{}, err
	}
	return hashPages(b, pages), nil
}

// hashPages hashes one block's pages, using pages as scratch.
func hashPages(b, pages []byte) [sha256.Size]byte {
	pages = pages[:0]
	for len(b) > 0 {
		k := min(PageSize, len(b))
		s := sha256.Sum256(b[:k])
		pages = append(pages, s[:]...)
		b = b[k:]
	}
	return blockHash(pages)
}

// fileSequential is File on one goroutine (a single block, or one worker).
func fileSequential(ctx context.Context, r io.ReaderAt, size int64, opts FileOptions) (ID, error) {
	c := newChain()
	bufs := buffers{pool: opts.Buffers}
	pages := make([]byte, 0, pagesPerBlock*sha256.Size)
	blocks := (size + BlockSize - 1) / BlockSize
	for i := int64(0); i < blocks; i++ {
		if err := context.Cause(ctx); err != nil {
			return ID{}, err
		}
		h, err := hashBlock(ctx, r, i, size, &bufs, pages)
		if err != nil {
			return ID{}, err
		}
		if opts.Progress != nil {
			opts.Progress(min(BlockSize, size-i*BlockSize))
		}
		c.add(h)
	}
	return c.sum(), nil
}
