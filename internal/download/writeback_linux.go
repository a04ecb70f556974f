//go:build linux && (amd64 || arm64)

package download

import (
	"os"
	"syscall"
)

const haveWriteback = true

// startWriteback asks the kernel to start writing [off, off+n) of f to
// disk now, without waiting (sync_file_range with SYNC_FILE_RANGE_WRITE).
// Writing back while the transfer goes on keeps the final fsync short
// (otherwise a 1 GiB archive is all still dirty when the download ends)
// and keeps the amount of dirty page cache bounded. Errors are ignored:
// the final fsync reports anything that matters.
func startWriteback(f *os.File, off, n int64) {
	const syncFileRangeWrite = 2
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) {
		_, _, _ = syscall.Syscall6(syscall.SYS_SYNC_FILE_RANGE, fd, uintptr(off), uintptr(n), syncFileRangeWrite, 0, 0)
	})
}
