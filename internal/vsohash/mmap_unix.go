//go:build linux || darwin || freebsd || netbsd || openbsd

package vsohash

import (
	"errors"
	"io"
	"os"
	"runtime/debug"
	"syscall"
)

// mapBlock maps the n bytes of r at off read-only, when r is a file:
// hashing the page cache in place saves the copy a read makes (about a
// fifth of the CPU time of hashing, measured on Linux tmpfs). ok is false
// when r cannot be mapped; the caller reads instead.
func mapBlock(r io.ReaderAt, off, n int64) (data []byte, unmap func(), ok bool) {
	f, isFile := r.(*os.File)
	// Only whole blocks: for a short one (a small file, a file's tail)
	// mapping and unmapping cost more than the copy they save.
	if !isFile || n != BlockSize || off%int64(os.Getpagesize()) != 0 {
		return nil, nil, false
	}
	data, err := syscall.Mmap(int(f.Fd()), off, int(n), syscall.PROT_READ, syscall.MAP_SHARED|mapPopulate)
	if err != nil {
		return nil, nil, false
	}
	return data, func() { _ = syscall.Munmap(data) }, true
}

// errTruncated: a mapped page vanished (the file was truncated while being
// hashed); reading it raised SIGBUS, turned into a panic by SetPanicOnFault.
var errTruncated = errors.New("file is shorter than when it was opened: it changed while being read")

// hashMapped runs hash over mapped memory, turning a fault on a page the
// file no longer has into an error instead of a crash.
func hashMapped(hash func()) (err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if p := recover(); p != nil {
			if _, fault := p.(interface{ Addr() uintptr }); fault {
				err = errTruncated
				return
			}
			panic(p)
		}
	}()
	hash()
	return nil
}
