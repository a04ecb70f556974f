//go:build linux

package download

import (
	"bufio"
	"context"
	"fmt"
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

// TestSpeedAgainstCurl runs the server, `curl -o` and diagctl's engine as
// three separate processes and compares median wall time and peak RSS
// (see bench_test.go for how to run it). DIAGCTL_SPEED_RUNS sets the
// number of runs; DIAGCTL_SPEED_BUF, _NBUF and _WB override the buffer
// size, buffer count and writeback chunk for experiments;
// DIAGCTL_SPEED_DEBUG=1 logs CPU times.

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
		t.Logf("%s: user %v sys %v", filepath.Base(cmd.Path), time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano()))
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

	srvCPU := func() time.Duration {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", srv.Process.Pid))
		if err != nil {
			return 0
		}
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
		u, _ := strconv.Atoi(f[11])
		s, _ := strconv.Atoi(f[12])
		return time.Duration(u+s) * 10 * time.Millisecond
	}
	runs := envInt("DIAGCTL_SPEED_RUNS", 3)
	var curlRuns, ourRuns []measured
	for range runs {
		os.Remove(filepath.Join(work, "curl.zip"))
		c0 := srvCPU()
		curlRuns = append(curlRuns, measure(t, exec.Command(curl, "-s", "-S", "-o", filepath.Join(work, "curl.zip"), url)))
		c1 := srvCPU()
		os.RemoveAll(filepath.Join(work, "ours"))
		os.Mkdir(filepath.Join(work, "ours"), 0o755)
		cl := exec.Command(os.Args[0], "-test.run=^TestSpeedClientHelper$", "-test.v")
		cl.Env = append(os.Environ(), "DIAGCTL_SPEED_CLIENT="+url, "DIAGCTL_SPEED_DIR="+filepath.Join(work, "ours"))
		ourRuns = append(ourRuns, measure(t, cl))
		if os.Getenv("DIAGCTL_SPEED_DEBUG") != "" {
			t.Logf("server CPU: during curl %v, during diagctl %v", c1-c0, srvCPU()-c1)
		}
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
