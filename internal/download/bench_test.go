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
	"path/filepath"
	"strconv"
	"testing"

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
