//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package download

import (
	"errors"
	"os"
	"syscall"
)

const lockSupported = true

// lock takes an exclusive lock on a new temporary file for as long as it
// is open (closing it releases the lock). The file was just created, so
// only a sweeping run can hold its lock, and only for an instant (it then
// finds this process alive and lets go). A file system without locks
// (ENOLCK) is not an error: the pid check alone protects the file.
func lock(f *os.File) {
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
}

// tryLock takes an exclusive lock on f without waiting.
func tryLock(f *os.File) bool {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil
}

// processAlive: kill(pid, 0) finds the process (EPERM: it exists but is
// someone else's).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
