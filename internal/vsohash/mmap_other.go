//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package vsohash

import "io"

// mapBlock: no memory mapping here; blocks are read.
func mapBlock(io.ReaderAt, int64, int64) ([]byte, func(), bool) { return nil, nil, false }

func hashMapped(hash func()) error { hash(); return nil }
