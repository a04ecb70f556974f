package download

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Temporary files left by a run that was killed (SIGKILL, a crash, a
// power cut) are removed by the next run that writes in that directory.
//
// How a run knows the writer is gone, without ever removing a live run's
// file: the temporary name carries the writer's process id
// (".diagctl-<pid>-<random>.part"), and the writer holds an exclusive
// flock on the file while it is open. A file is removed only when both
// say the writer is gone: its lock can be taken (no process, in any pid
// namespace sharing the file system, holds it) and its process id names
// no process (kill(pid, 0) fails with ESRCH). The pid check covers the
// instant between a writer creating its file and locking it; the lock
// covers a reused pid and another container's processes. A file whose
// pid names some other live process is kept (the cost is a leftover, not
// a lost download). Names in the older format (no pid) are never removed.
// Where flock is not available (lockSupported false) nothing is swept.

// staleName parses a temporary file name: the writer's pid, and whether
// it is a temporary name of the current format at all.
func staleName(name string) (pid int, ok bool) {
	rest, found := strings.CutPrefix(name, tempPrefix)
	if !found {
		return 0, false
	}
	rest, found = strings.CutSuffix(rest, tempSuffix)
	if !found {
		return 0, false
	}
	p, rnd, found := strings.Cut(rest, "-")
	if !found || rnd == "" {
		return 0, false
	}
	pid, err := strconv.Atoi(p)
	if err != nil || pid <= 0 || strconv.Itoa(pid) != p {
		return 0, false
	}
	return pid, true
}

// sweepStale removes the temporary files in dir whose writer is gone and
// says so on note (nil: silently). Errors are ignored: a leftover is
// only clutter.
func sweepStale(dir string, note io.Writer) {
	if !lockSupported {
		return
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		pid, ok := staleName(e.Name())
		if !ok || !e.Type().IsRegular() || pid == os.Getpid() {
			continue
		}
		path := filepath.Join(dir, e.Name())
		size, removed := removeIfAbandoned(path, pid)
		if removed && note != nil {
			fmt.Fprintf(note, "note: removed %s (%s), left by a diagctl run that ended without cleaning up (process %d is gone)\n",
				path, HumanBytes(size), pid)
		}
	}
}

// removeIfAbandoned removes path when its lock is free and its writer's
// process is gone; it holds the lock while it removes the file, so two
// runs sweeping at once do not both report it.
func removeIfAbandoned(path string, pid int) (int64, bool) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	if !tryLock(f) {
		return 0, false // a live writer holds it
	}
	if processAlive(pid) {
		return 0, false
	}
	fi, err := f.Stat()
	if err != nil {
		return 0, false
	}
	// Still the file we locked (not a new one under the same name)?
	if cur, err := os.Lstat(path); err != nil || !os.SameFile(fi, cur) {
		return 0, false
	}
	if os.Remove(path) != nil {
		return 0, false
	}
	return fi.Size(), true
}
