//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package download

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

func TestStaleName(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]int{
		".diagctl-123-0a1b.part":               123,
		".diagctl-0123456789abcdef.part":       0, // older format: no pid
		".diagctl-123-.part":                   0,
		".diagctl-0123-ab.part":                0, // not a pid as we write it
		".diagctl--5-ab.part":                  0,
		".diagctl-123-ab.zip":                  0,
		"diagctl-123-ab.part":                  0,
		".diagctl-99999999999999999999-a.part": 0,
	} {
		if pid, ok := staleName(name); pid != want || ok != (want != 0) {
			t.Errorf("staleName(%q) = %d, %v; want %d", name, pid, ok, want)
		}
	}
}

// deadPid is the pid of a process that has exited and been reaped.
func deadPid(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("cannot run true: %v", err)
	}
	return cmd.Process.Pid
}

// TestSweepStale: only a leftover whose writer is surely gone is removed:
// its lock is free and its pid names no process. A file whose lock is
// held, whose pid is alive, that is ours, or in the older format, stays.
func TestSweepStale(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dead := deadPid(t)
	write := func(name string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("half an archive"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	gone := write(tempPrefix + strconv.Itoa(dead) + "-aa" + tempSuffix)
	huge := write(tempPrefix + "2147483646-bb" + tempSuffix) // above any pid_max
	alive := write(tempPrefix + strconv.Itoa(os.Getppid()) + "-cc" + tempSuffix)
	mine := write(tempPrefix + strconv.Itoa(os.Getpid()) + "-dd" + tempSuffix)
	old := write(tempPrefix + "0123456789abcdef" + tempSuffix)
	// A dead pid but a held lock: a writer in another pid namespace.
	locked := write(tempPrefix + strconv.Itoa(dead) + "-ee" + tempSuffix)
	lf, err := os.Open(locked)
	if err != nil {
		t.Fatal(err)
	}
	defer lf.Close()
	if err := syscall.Flock(int(lf.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}

	var note strings.Builder
	sweepStale(dir, &note)
	for _, p := range []string{gone, huge} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was kept", filepath.Base(p))
		}
		if !strings.Contains(note.String(), "note: removed "+p+" (15 B)") {
			t.Errorf("note %q does not name %s", note.String(), p)
		}
	}
	for _, p := range []string{alive, mine, old, locked} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed", filepath.Base(p))
		}
	}
	if strings.Count(note.String(), "\n") != 2 {
		t.Errorf("note %q", note.String())
	}
}

// TestTempFileLocked: a temporary file being written is locked, so a
// sweep from another process (another open file) cannot take it.
func TestTempFileLocked(t *testing.T) {
	t.Parallel()
	f, err := createTemp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	other, err := os.Open(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if tryLock(other) {
		t.Error("the temporary file is not locked while open")
	}
	if pid, ok := staleName(filepath.Base(f.Name())); !ok || pid != os.Getpid() {
		t.Errorf("name %s: pid %d, %v", f.Name(), pid, ok)
	}
}

// FuzzStaleName: a name is taken for a leftover only when it is exactly
// what createTemp writes: the prefix, a positive pid in its canonical
// form, a dash, something, the suffix.
func FuzzStaleName(f *testing.F) {
	f.Add(".diagctl-123-0a1b.part")
	f.Add(".diagctl-0123456789abcdef.part")
	f.Add(".diagctl--1-.part")
	f.Fuzz(func(t *testing.T, name string) {
		pid, ok := staleName(name)
		if !ok {
			return
		}
		rest := strings.TrimSuffix(strings.TrimPrefix(name, tempPrefix+strconv.Itoa(pid)+"-"), tempSuffix)
		if pid <= 0 || rest == "" || name != tempPrefix+strconv.Itoa(pid)+"-"+rest+tempSuffix {
			t.Fatalf("staleName(%q) = %d", name, pid)
		}
	})
}
