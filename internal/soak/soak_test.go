//go:build linux

// Package soak pushes the download commands through every fault the
// emulator has, many times over, one diagctl process per batch, and checks
// that each ID ends saved with the right SHA-256 or failed with the exit
// status its fault deserves, that nothing half-written or out of place is
// left, and that memory and open files stay flat. scripts/soak runs the
// full 500; `go test ./internal/soak` (and so .ci/run) a quick 64; -short
// skips it.
package soak

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/diagctl/diagctl/internal/cli"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/httpx"
)

var (
	total = flag.Int("soak.n", 64, "downloads in all")
	batch = flag.Int("soak.batch", 16, "downloads per diagctl run (all at once: --parallel)")
	stall = flag.Duration("soak.stall", time.Second, "diagctl --stall-timeout: how long a stalled attempt lasts")
)

const childEnv = "DIAGCTL_SOAK_CHILD"

// TestMain makes the test binary diagctl itself when the soak starts it as
// a child: the real command tree, with short backoffs (Retry-After is still
// honoured) so that a batch takes seconds.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(cli.MainWith(func(f *cmdutil.Factory) {
			f.Backoff = httpx.Backoff{Base: 20 * time.Millisecond, Max: 200 * time.Millisecond}
		}))
	}
	os.Exit(m.Run())
}

// outcome is what an ID of a fault must come to: saved (status 0), or
// failed with this exit status. kept: the archive stays even though the
// item failed (extraction refused a hostile entry).
type outcome struct {
	status int
	kept   bool
}

// The mix of one batch of 16: every fault, the healthy case most often.
var mix = []struct {
	fault string
	n     int
	want  outcome
}{
	{emulator.FamilyOK, 4, outcome{0, true}},
	{emulator.FamilyDrop, 2, outcome{0, true}},     // resumed
	{emulator.Family503, 2, outcome{0, true}},      // retried after Retry-After
	{emulator.FamilySlow, 1, outcome{0, true}},     // just slow
	{emulator.FamilyEvilName, 2, outcome{0, true}}, // saved under a safe name
	{emulator.FamilyStall, 1, outcome{6, false}},   // gives up: network failure
	{emulator.FamilyText200, 2, outcome{6, false}}, // not a ZIP: never saved; the service misbehaved
	{emulator.FamilyZipSlip, 1, outcome{1, true}},  // --extract refuses it
	{emulator.FamilySymlink, 1, outcome{1, true}},  // --extract refuses it
}

type item struct {
	id, fault string
	want      outcome
}

// plan lays out n IDs in batches of size b, each batch the mix shuffled
// (repeated when b > 16), serials unique, dump sizes 16 KiB to 512 KiB.
func plan(n, b int) [][]item {
	var pattern []item
	for _, m := range mix {
		for i := 0; i < m.n; i++ {
			pattern = append(pattern, item{fault: m.fault, want: m.want})
		}
	}
	rng := rand.New(rand.NewPCG(17, 17))
	var batches [][]item
	serial := int64(1)
	for len(batches)*b < n {
		var cur []item
		for len(cur) < b && len(batches)*b+len(cur) < n {
			if len(cur)%len(pattern) == 0 {
				rng.Shuffle(len(pattern), func(i, j int) { pattern[i], pattern[j] = pattern[j], pattern[i] })
			}
			it := pattern[len(cur)%len(pattern)]
			it.id = emulator.FamilyTask(16<<(serial%6), it.fault, serial)
			serial++
			cur = append(cur, it)
		}
		batches = append(batches, cur)
	}
	return batches
}

// A saved result, as --json gives it (stdout), and a failure's line on
// stderr.
type result struct {
	ID     string  `json:"id"`
	Path   string  `json:"path"`
	SHA256 string  `json:"sha256"`
	Error  *string `json:"error"`
}
type failure struct {
	ID         string `json:"id"`
	ExitStatus int    `json:"exit_status"`
}

// sample is what one batch left behind.
type sample struct {
	childRSS   int64 // KiB, diagctl's peak
	childFDs   int   // diagctl's most open files seen
	emuHeap    uint64
	emuFDs     int
	goroutines int
	wall       time.Duration
}

func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak: skipped under -short")
	}
	srv, err := emulator.Start(emulator.Options{SlowRate: 2 << 20, ReceivedLimit: 256})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	work := filepath.Join(root, "w")
	dir, xdir := filepath.Join(work, "d"), filepath.Join(work, "x")
	for _, d := range []string{dir, xdir, filepath.Join(root, "home")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	env := append(os.Environ(),
		childEnv+"=1",
		"DIAGCTL_SANDBOX_SERVER="+srv.URL,
		"DIAGCTL_SANDBOX_USER="+emulator.SandboxUser,
		"DIAGCTL_SANDBOX_PASSWORD="+emulator.SandboxPassword,
		"HOME="+filepath.Join(root, "home"),
		"XDG_CONFIG_HOME="+filepath.Join(root, "home", ".config"),
		"XDG_CACHE_HOME="+filepath.Join(root, "home", ".cache"),
		"GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"),
	)

	batches := plan(*total, *batch)
	counts := map[string]map[int]int{} // fault -> exit status -> IDs
	want := map[string]string{}        // saved path (relative to work) -> SHA-256
	var samples []sample
	conns0, _ := srv.Connections()
	for bi, items := range batches {
		ids := filepath.Join(root, fmt.Sprintf("ids-%03d", bi))
		var lines []string
		for _, it := range items {
			lines = append(lines, it.id)
		}
		if err := os.WriteFile(ids, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		cmd := exec.Command(self, "--json", "--stall-timeout", stall.String(), "--retries", "2",
			"sandbox", "debug-report", "--from-file", ids, "--parallel", fmt.Sprint(*batch), "-d", dir, "--extract", xdir)
		cmd.Env = env
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		stopFDs := watchFDs(cmd.Process.Pid)
		runErr := cmd.Wait()
		maxFDs := stopFDs()
		s := sample{childFDs: maxFDs, wall: time.Since(start)}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			s.childRSS = ru.Maxrss
		}
		status := cmd.ProcessState.ExitCode()
		if runErr != nil && status < 0 {
			t.Fatalf("batch %d: %v\n%s", bi, runErr, stderr.String())
		}
		checkBatch(t, bi, items, status, stdout.String(), stderr.String(), work, dir, xdir, counts, want)

		// The emulator side once diagctl is gone: every connection closed,
		// then its heap, open files and goroutines.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if err := srv.WaitConnsClosed(ctx); err != nil {
			t.Fatalf("batch %d: connections still open after diagctl exited: %v", bi, err)
		}
		cancel()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		s.emuHeap, s.emuFDs, s.goroutines = ms.HeapAlloc, countFDs("self"), runtime.NumGoroutine()
		samples = append(samples, s)
		if t.Failed() {
			t.FailNow()
		}
	}
	conns1, _ := srv.Connections()
	checkTree(t, root, work, want)
	checkFlat(t, samples)
	report(t, counts, samples, conns1-conns0)
}

// checkBatch checks each ID's outcome against its fault, and what the run
// left in the archive and extraction directories.
func checkBatch(t *testing.T, bi int, items []item, status int, stdout, stderr, work, dir, xdir string, counts map[string]map[int]int, want map[string]string) {
	t.Helper()
	var results []result
	if err := json.Unmarshal([]byte(stdout), &results); err != nil {
		t.Fatalf("batch %d: stdout is not the JSON array: %v\n%s\nstderr:\n%s", bi, err, stdout, stderr)
	}
	byID := map[string]result{}
	for _, r := range results {
		byID[strings.ToLower(r.ID)] = r
	}
	failed := map[string]int{}
	for _, line := range strings.Split(stderr, "\n") {
		var f failure
		if strings.HasPrefix(line, "{") && json.Unmarshal([]byte(line), &f) == nil && f.ID != "" {
			failed[strings.ToLower(f.ID)] = f.ExitStatus
		}
	}
	worst := 0
	for _, it := range items {
		got := failed[it.id] // 0 when it did not fail
		if counts[it.fault] == nil {
			counts[it.fault] = map[int]int{}
		}
		counts[it.fault][got]++
		if got != it.want.status {
			t.Errorf("batch %d: %s (fault %s): exit status %d, want %d\n%s", bi, it.id, it.fault, got, it.want.status, stderr)
			continue
		}
		worst = max(worst, it.want.status)
		r, ok := byID[it.id]
		if !ok {
			t.Errorf("batch %d: %s has no result in --json", bi, it.id)
			continue
		}
		xd := filepath.Join(xdir, it.id)
		if !it.want.kept {
			if r.Path != "" {
				if _, err := os.Stat(r.Path); err == nil {
					t.Errorf("batch %d: %s failed with %d but %s exists", bi, it.id, got, r.Path)
				}
			}
			if entries, _ := os.ReadDir(xd); len(entries) > 0 {
				t.Errorf("batch %d: %s failed but %s holds %d entries", bi, it.id, xd, len(entries))
			}
			continue
		}
		body, _ := emulator.FamilyArchive(it.id)
		sum := sha256.Sum256(body)
		wantSum := hex.EncodeToString(sum[:])
		rel, err := filepath.Rel(work, r.Path)
		if err != nil || !strings.HasPrefix(rel, "d"+string(filepath.Separator)) {
			t.Errorf("batch %d: %s saved at %q, outside %s", bi, it.id, r.Path, dir)
			continue
		}
		disk, err := os.ReadFile(r.Path)
		if err != nil {
			t.Errorf("batch %d: %s: %v", bi, it.id, err)
			continue
		}
		if s := sha256.Sum256(disk); hex.EncodeToString(s[:]) != wantSum || r.SHA256 != wantSum {
			t.Errorf("batch %d: %s: reported sha256 %s, on disk %x, want %s", bi, it.id, r.SHA256, s, wantSum)
		}
		want[rel] = wantSum
		if it.want.status == 0 {
			// Extracted: the four report files, nothing else.
			for _, name := range []string{"summary.json", "execution.log", "environment.txt", "memory.dmp"} {
				want[filepath.Join("x", it.id, "debug_report", name)] = ""
			}
		} else if entries, _ := os.ReadDir(xd); len(entries) > 0 {
			t.Errorf("batch %d: %s: extraction refused, but %s holds %d entries", bi, it.id, xd, len(entries))
		}
	}
	if status != worst {
		t.Errorf("batch %d: diagctl exited %d, want %d (the worst of its items)", bi, status, worst)
	}
}

// checkTree: under root there is nothing but the ID lists, the config
// home, the saved archives and the extracted files: no .part file, no
// partial archive, nothing a hostile name or entry put elsewhere.
func checkTree(t *testing.T, root, work string, want map[string]string) {
	t.Helper()
	seen := 0
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Error(err)
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() || strings.HasPrefix(rel, "ids-") || strings.HasPrefix(rel, "home"+string(filepath.Separator)) {
			return nil
		}
		wrel, err := filepath.Rel(work, p)
		if _, ok := want[wrel]; err != nil || !ok {
			t.Errorf("unexpected file %s", rel)
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			t.Errorf("symlink %s", rel)
		}
		seen++
		return nil
	})
	if seen != len(want) {
		t.Errorf("%d files on disk, want %d", seen, len(want))
	}
}

// checkFlat: the last batches cost what the first did. The bounds are
// loose (a shared machine, a garbage collector) but a leak of one file
// or a few KiB per download over hundreds of downloads breaks them.
func checkFlat(t *testing.T, s []sample) {
	t.Helper()
	if len(s) < 2 {
		return
	}
	first, last := s[0], s[len(s)-1]
	if last.emuFDs > first.emuFDs+2 {
		t.Errorf("emulator open files grew from %d to %d", first.emuFDs, last.emuFDs)
	}
	if last.goroutines > first.goroutines+4 {
		t.Errorf("emulator goroutines grew from %d to %d", first.goroutines, last.goroutines)
	}
	if last.emuHeap > first.emuHeap+16<<20 {
		t.Errorf("emulator heap grew from %d to %d bytes", first.emuHeap, last.emuHeap)
	}
	rss := make([]int64, len(s))
	fds := make([]int, len(s))
	for i, x := range s {
		rss[i], fds[i] = x.childRSS, x.childFDs
	}
	if lo, hi := slices.Min(rss), slices.Max(rss); hi > lo*3/2+16<<10 {
		t.Errorf("diagctl peak RSS per batch ranges from %d to %d KiB", lo, hi)
	}
	if lo, hi := slices.Min(fds), slices.Max(fds); hi > lo+2*(*batch)+8 {
		t.Errorf("diagctl open files per batch range from %d to %d", lo, hi)
	}
}

func report(t *testing.T, counts map[string]map[int]int, s []sample, conns int64) {
	faults := make([]string, 0, len(counts))
	for f := range counts {
		faults = append(faults, f)
	}
	sort.Strings(faults)
	n, saved := 0, 0
	var b strings.Builder
	for _, f := range faults {
		fmt.Fprintf(&b, "  fault %s:", f)
		var codes []int
		for c := range counts[f] {
			codes = append(codes, c)
		}
		sort.Ints(codes)
		for _, c := range codes {
			fmt.Fprintf(&b, " %d exit %d", counts[f][c], c)
			n += counts[f][c]
			if c == 0 {
				saved += counts[f][c]
			}
		}
		b.WriteString("\n")
	}
	rss := make([]int64, len(s))
	fds := make([]int, len(s))
	var wall time.Duration
	for i, x := range s {
		rss[i], fds[i], wall = x.childRSS, x.childFDs, wall+x.wall
	}
	t.Logf("soak: %d downloads in %d batches of %d (diagctl --parallel %d), %s; %d saved, %d failed as their faults deserve; %d TCP connections\n%s"+
		"  diagctl peak RSS per batch %d..%d KiB, open files %d..%d\n"+
		"  emulator after the first batch: heap %d KiB, %d open files, %d goroutines; after the last: heap %d KiB, %d open files, %d goroutines",
		n, len(s), *batch, *batch, wall.Round(time.Millisecond), saved, n-saved, conns, b.String(),
		slices.Min(rss), slices.Max(rss), slices.Min(fds), slices.Max(fds),
		s[0].emuHeap>>10, s[0].emuFDs, s[0].goroutines, s[len(s)-1].emuHeap>>10, s[len(s)-1].emuFDs, s[len(s)-1].goroutines)
}

// watchFDs samples how many files process pid has open until the
// returned function is called, which gives the most seen. Sampling is
// the only way to see another process's files; it measures, it does not
// synchronise anything.
func watchFDs(pid int) (stop func() int) {
	done := make(chan struct{})
	most := make(chan int, 1)
	go func() {
		m := 0
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			m = max(m, countFDs(fmt.Sprint(pid)))
			select {
			case <-done:
				most <- m
				return
			case <-tick.C:
			}
		}
	}()
	return func() int { close(done); return <-most }
}

func countFDs(pid string) int {
	entries, err := os.ReadDir("/proc/" + pid + "/fd")
	if err != nil {
		return 0
	}
	return len(entries)
}
