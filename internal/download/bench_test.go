package download

import (
	"archive/zip"
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/diagctl/diagctl/internal/iostreams"
)

// Reproducing the speed figures:
//
//	go test -run XXX -bench BenchmarkDownload -benchtime 5x ./internal/download/
//	DIAGCTL_BENCH_MIB=1024 go test -run XXX -bench BenchmarkDownload -benchtime 3x ./internal/download/
//	DIAGCTL_SPEED_MIB=1024 go test -run TestSpeedAgainstCurl -v -timeout 30m ./internal/download/
//
// The benchmark serves the archive from a file (sendfile) in the same
// process. TestSpeedAgainstCurl runs the server, `curl -o` and diagctl's
// engine as three separate processes and compares wall time and peak
// RSS; it is skipped unless DIAGCTL_SPEED_MIB is set.

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// writeBigZip writes a stored (uncompressed) archive of about mib MiB of
// incompressible bytes to path, without holding it in memory.
func writeBigZip(tb testing.TB, path string, mib int) int64 {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	zw := zip.NewWriter(bw)
	block := make([]byte, 1<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range block {
		block[i] = byte(rng.Uint32())
	}
	const perFile = 64 // MiB per entry
	for i := 0; i < mib; i += perFile {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("part-%04d.bin", i/perFile), Method: zip.Store})
		if err != nil {
			tb.Fatal(err)
		}
		for j := i; j < min(i+perFile, mib); j++ {
			block[0], block[1] = byte(j), byte(j>>8) // not the same MiB twice
			w.Write(block)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		tb.Fatal(err)
	}
	fi, _ := f.Stat()
	f.Close()
	return fi.Size()
}

// serveFile serves path like a download server: sendfile, ranges, an
// ETag, a Content-Disposition name.
func serveFile(path string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, err := os.Open(path)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		defer f.Close()
		fi, _ := f.Stat()
		w.Header().Set("Content-Type", "application/zip")
		w.Header().Set("Content-Disposition", `attachment; filename="bench.zip"`)
		w.Header().Set("ETag", fmt.Sprintf(`"%d-%d"`, fi.Size(), fi.ModTime().UnixNano()))
		http.ServeContent(w, r, "", fi.ModTime(), f)
	})
}

func BenchmarkDownload(b *testing.B) {
	mib := envInt("DIAGCTL_BENCH_MIB", 64)
	src := filepath.Join(b.TempDir(), "src.zip")
	size := writeBigZip(b, src, mib)
	ts := httptest.NewServer(serveFile(src))
	defer ts.Close()
	dir := b.TempDir()
	ios, _, _, _ := iostreams.Test()
	opts := Options{Client: testClient(b), IO: ios, Dir: dir, Force: true, Parallel: 1}
	source := Source{ID: "bench", DefaultName: "bench.zip", Request: func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, ts.URL, nil)
	}}
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		res := Run(context.Background(), []Source{source}, opts)
		if res[0].Err != nil {
			b.Fatal(res[0].Err)
		}
	}
}

// The helpers below are the separate processes of TestSpeedAgainstCurl.

func TestSpeedServerHelper(t *testing.T) {
	path := os.Getenv("DIAGCTL_SPEED_SERVE")
	if path == "" {
		t.Skip("helper process")
	}
	ts := httptest.NewServer(serveFile(path))
	fmt.Println("URL", ts.URL)
	select {} // until killed
}

func TestSpeedClientHelper(t *testing.T) {
	url := os.Getenv("DIAGCTL_SPEED_CLIENT")
	if url == "" {
		t.Skip("helper process")
	}
	ios, _, _, _ := iostreams.Test()
	bufSize = envInt("DIAGCTL_SPEED_BUF", bufSize)
	bufCount = envInt("DIAGCTL_SPEED_NBUF", bufCount)
	writebackChunk = int64(envInt("DIAGCTL_SPEED_WB", int(writebackChunk)))
	fillMin = envInt("DIAGCTL_SPEED_FILLMIN", fillMin)
	t0 := time.Now()
	debugStage = func(s string) { fmt.Printf("STAGE %s %v\n", s, time.Since(t0)) }
	opts := Options{Client: testClient(t), IO: ios, Dir: os.Getenv("DIAGCTL_SPEED_DIR"), Force: true, Parallel: 1}
	res := Run(context.Background(), []Source{{ID: "speed", DefaultName: "speed.zip", Request: func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	}}}, opts)
	if res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	fmt.Printf("RESULT %s %d %s %d\n", res[0].Path, res[0].Bytes, res[0].SHA256, res[0].Files)
}

type measured struct {
	wall   time.Duration
	maxRSS int64 // KiB
}

func measure(t *testing.T, cmd *exec.Cmd) measured {
	t.Helper()
	syscall.Sync() // earlier runs' dirty pages must not compete
	start := time.Now()
	out, err := cmd.CombinedOutput()
	wall := time.Since(start)
	if err != nil {
		t.Fatalf("%s: %v\n%s", cmd, err, out)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if os.Getenv("DIAGCTL_SPEED_DEBUG") != "" {
		t.Logf("%s user %v sys %v\n%s", filepath.Base(cmd.Path), time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano()), grepLines(out, "STAGE"))
	}
	return measured{wall: wall, maxRSS: ru.Maxrss}
}

func TestSpeedAgainstCurl(t *testing.T) {
	mib := envInt("DIAGCTL_SPEED_MIB", 0)
	if mib == 0 {
		t.Skip("set DIAGCTL_SPEED_MIB (e.g. 1024) to compare with curl -o")
	}
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("no curl")
	}
	work := t.TempDir()
	src := filepath.Join(work, "src.zip")
	size := writeBigZip(t, src, mib)

	srv := exec.Command(os.Args[0], "-test.run=^TestSpeedServerHelper$")
	srv.Env = append(os.Environ(), "DIAGCTL_SPEED_SERVE="+src)
	stdout, _ := srv.StdoutPipe()
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { srv.Process.Kill(); srv.Wait() }()
	sc := bufio.NewScanner(stdout)
	var url string
	for sc.Scan() {
		if u, ok := strings.CutPrefix(sc.Text(), "URL "); ok {
			url = u
			break
		}
	}
	if url == "" {
		t.Fatal("server helper did not start")
	}

	runs := envInt("DIAGCTL_SPEED_RUNS", 3)
	var curlRuns, ourRuns []measured
	for range runs {
		os.Remove(filepath.Join(work, "curl.zip"))
		curlRuns = append(curlRuns, measure(t, exec.Command(curl, "-s", "-S", "-o", filepath.Join(work, "curl.zip"), url)))
		os.RemoveAll(filepath.Join(work, "ours"))
		os.Mkdir(filepath.Join(work, "ours"), 0o755)
		cl := exec.Command(os.Args[0], "-test.run=^TestSpeedClientHelper$", "-test.v")
		cl.Env = append(os.Environ(), "DIAGCTL_SPEED_CLIENT="+url, "DIAGCTL_SPEED_DIR="+filepath.Join(work, "ours"))
		ourRuns = append(ourRuns, measure(t, cl))
	}
	med := func(ms []measured) measured {
		s := slices.Clone(ms)
		slices.SortFunc(s, func(a, b measured) int { return int(a.wall - b.wall) })
		m := s[len(s)/2]
		for _, x := range ms {
			m.maxRSS = max(m.maxRSS, x.maxRSS)
		}
		return m
	}
	c, o := med(curlRuns), med(ourRuns)
	ratio := float64(o.wall) / float64(c.wall)
	mibs := func(d time.Duration) float64 { return float64(size) / (1 << 20) / d.Seconds() }
	t.Logf("archive: %d MiB; runs: %d (median wall, max RSS)", size>>20, runs)
	t.Logf("curl -o:  %v (%.0f MiB/s), peak RSS %.1f MiB", c.wall.Round(time.Millisecond), mibs(c.wall), float64(c.maxRSS)/1024)
	t.Logf("diagctl:  %v (%.0f MiB/s), peak RSS %.1f MiB (sha256 + fsync + ZIP check included)", o.wall.Round(time.Millisecond), mibs(o.wall), float64(o.maxRSS)/1024)
	t.Logf("ratio: %.2fx (target <= 1.2x), all runs curl %v, diagctl %v", ratio, walls(curlRuns), walls(ourRuns))
	if ratio > 1.2 {
		t.Errorf("diagctl took %.2fx curl's time (target 1.2x)", ratio)
	}
	if o.maxRSS > 32<<10 {
		t.Errorf("peak RSS %.1f MiB (target < 32 MiB)", float64(o.maxRSS)/1024)
	}
}

func walls(ms []measured) []time.Duration {
	var d []time.Duration
	for _, m := range ms {
		d = append(d, m.wall.Round(time.Millisecond))
	}
	return d
}

func grepLines(out []byte, prefix string) string {
	var b strings.Builder
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, prefix) {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}
