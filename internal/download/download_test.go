package download

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
)

func TestSuccess(t *testing.T) {
	t.Parallel()
	data := makeZip(t,
		zipEntry{name: "logs/"},
		zipEntry{name: "logs/a.txt", body: []byte("hello")},
		zipEntry{name: "b.txt", body: bytes.Repeat([]byte("x"), 100000)},
	)
	srv := (&server{t: t, data: data, disposition: `attachment; filename="report 1.zip"`}).start()
	dir := t.TempDir()
	opts, _ := testOptions(t, dir)
	res := one(t, context.Background(), srv.source(testID), opts)
	if res.Err != nil {
		t.Fatalf("error: %v", res.Err)
	}
	want := filepath.Join(dir, "report 1.zip")
	if res.Path != want || res.Bytes != int64(len(data)) || res.SHA256 != sha(data) || res.Files != 2 || res.Error != nil || res.ID != testID {
		t.Errorf("result = %+v, want path %s, %d bytes, sha %s, 2 files (the directory entry is not a file)", res, want, len(data), sha(data))
	}
	got, err := os.ReadFile(want)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("saved file differs (err %v)", err)
	}
	if names := listDir(t, dir); len(names) != 1 {
		t.Errorf("directory holds %v, want only the archive", names)
	}
}

func TestDefaultNameAndBigArchive(t *testing.T) {
	t.Parallel()
	data := randomZip(t, 3<<20+12345, 7)
	srv := (&server{t: t, data: data, noLength: true}).start()
	dir := t.TempDir()
	opts, _ := testOptions(t, dir)
	res := one(t, context.Background(), srv.source(testID), opts)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if res.Path != filepath.Join(dir, "debug-report-"+testID+".zip") || res.SHA256 != sha(data) || res.Files != 7 {
		t.Errorf("result = %+v", res)
	}
}

func TestExistingFile(t *testing.T) {
	t.Parallel()
	data := makeZip(t, zipEntry{name: "a.txt", body: []byte("new")})
	old := []byte("old content")

	t.Run("server name without force", func(t *testing.T) {
		srv := (&server{t: t, data: data, disposition: `attachment; filename=r.zip`}).start()
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "r.zip"), old, 0o644)
		opts, _ := testOptions(t, dir)
		res := one(t, context.Background(), srv.source(testID), opts)
		if res.Err == nil || exit.Code(res.Err) != exit.Failure || !strings.Contains(res.Err.Error(), "use --force to overwrite") ||
			!strings.Contains(res.Err.Error(), filepath.Join(dir, "r.zip")) {
			t.Fatalf("err = %v (exit %d)", res.Err, exit.Code(res.Err))
		}
		if got, _ := os.ReadFile(filepath.Join(dir, "r.zip")); !bytes.Equal(got, old) {
			t.Error("existing file was touched")
		}
		noTemp(t, dir)
	})
	t.Run("-o without force: checked before any request", func(t *testing.T) {
		srv := (&server{t: t, data: data}).start()
		dir := t.TempDir()
		out := filepath.Join(dir, "mine.zip")
		os.WriteFile(out, old, 0o644)
		opts, _ := testOptions(t, dir)
		opts.Output, opts.Dir = out, ""
		res := one(t, context.Background(), srv.source(testID), opts)
		if res.Err == nil || !strings.Contains(res.Err.Error(), "use --force to overwrite") {
			t.Fatalf("err = %v", res.Err)
		}
		if n := len(srv.requestsSeen()); n != 0 {
			t.Errorf("%d requests sent, want none", n)
		}
		if got, _ := os.ReadFile(out); !bytes.Equal(got, old) {
			t.Error("existing file was touched")
		}
	})
	t.Run("force replaces", func(t *testing.T) {
		srv := (&server{t: t, data: data, disposition: `attachment; filename=r.zip`}).start()
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "r.zip"), old, 0o644)
		opts, _ := testOptions(t, dir)
		opts.Force = true
		res := one(t, context.Background(), srv.source(testID), opts)
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		if got, _ := os.ReadFile(filepath.Join(dir, "r.zip")); !bytes.Equal(got, data) {
			t.Error("file not replaced")
		}
		noTemp(t, dir)
	})
	t.Run("created meanwhile is not clobbered", func(t *testing.T) {
		srv := (&server{t: t, data: data, disposition: `attachment; filename=r.zip`}).start()
		dir := t.TempDir()
		opts, _ := testOptions(t, dir)
		// The file appears after the name was checked on the headers and
		// before the archive is committed.
		opts.hooks.named = func(final string) {
			if err := os.WriteFile(final, old, 0o644); err != nil {
				t.Error(err)
			}
		}
		res := one(t, context.Background(), srv.source(testID), opts)
		if res.Err == nil || !strings.Contains(res.Err.Error(), "already exists") {
			t.Fatalf("err = %v", res.Err)
		}
		if got, _ := os.ReadFile(filepath.Join(dir, "r.zip")); !bytes.Equal(got, old) {
			t.Error("file created meanwhile was clobbered")
		}
		noTemp(t, dir)
	})
}

func TestNotAZip(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		srv    *server
		status int
	}{
		{"html body as octet-stream", &server{data: []byte("<html>oops</html>"), contentType: "application/octet-stream"}, exit.Service},
		{"short body", &server{data: []byte("PK"), contentType: "application/zip"}, exit.Service},
		{"empty body", &server{data: []byte{}, contentType: "application/zip"}, exit.Service},
		// httpx decodes it as an error body: exit 6 (the service
		// misbehaved) unless the service's decoder gives its code a status
		{"json error with 200", &server{data: []byte(`{"error_code":"CC.00050012","error_msg":"busy"}`), contentType: "application/json"}, exit.Service},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.srv.t = t
			srv := tc.srv.start()
			dir := t.TempDir()
			opts, _ := testOptions(t, dir)
			res := one(t, context.Background(), srv.source(testID), opts)
			if res.Err == nil || exit.Code(res.Err) != tc.status {
				t.Fatalf("err = %v (exit %d), want exit %d", res.Err, exit.Code(res.Err), tc.status)
			}
			var ae *httpx.APIError
			if !errors.As(res.Err, &ae) && !strings.Contains(res.Err.Error(), "the server's answer is not a ZIP archive") {
				t.Errorf("err = %v", res.Err)
			}
			if names := listDir(t, dir); len(names) != 0 {
				t.Errorf("directory holds %v, want nothing", names)
			}
		})
	}
}

func TestHTTPErrorsAreTyped(t *testing.T) {
	t.Parallel()
	srv := (&server{t: t, status: http.StatusNotFound, errBody: `{"code":6,"message":"task not found"}`}).start()
	dir := t.TempDir()
	opts, _ := testOptions(t, dir)
	res := one(t, context.Background(), srv.source(testID), opts)
	var ae *httpx.APIError
	if !errors.As(res.Err, &ae) || exit.Code(res.Err) != exit.NotFound || res.Error == nil {
		t.Fatalf("err = %#v", res.Err)
	}
}

func TestResumeWithRange(t *testing.T) {
	t.Parallel()
	data := randomZip(t, 2<<20, 3)
	half := int64(len(data) / 2)
	srv := (&server{t: t, data: data, ranges: true, breakAt: []int64{half}}).start()
	dir := t.TempDir()
	opts, _ := testOptions(t, dir)
	res := one(t, context.Background(), srv.source(testID), opts)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if res.SHA256 != sha(data) || res.Bytes != int64(len(data)) || res.Files != 3 {
		t.Errorf("result = %+v, want sha %s", res, sha(data))
	}
	reqs := srv.requestsSeen()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	if got := reqs[0].Header.Get("Range"); got != "" {
		t.Errorf("first request has Range %q", got)
	}
	if got, want := reqs[1].Header.Get("Range"), fmt.Sprintf("bytes=%d-", half); got != want {
		t.Errorf("resume Range = %q, want %q", got, want)
	}
	if got := reqs[1].Header.Get("If-Range"); got != `"v1"` {
		t.Errorf("If-Range = %q", got)
	}
	noTemp(t, dir)
}

func TestResumeTwiceAndStall(t *testing.T) {
	t.Parallel()
	data := randomZip(t, 3<<20, 2)
	srv := (&server{t: t, data: data, ranges: true, stallAt: 700000, breakAt: []int64{0, 1500000}}).start()
	dir := t.TempDir()
	opts, _ := testOptions(t, dir)
	opts.Client = testClient(t, func(o *httpx.Options) { o.StallTimeout = 200 * time.Millisecond })
	res := one(t, context.Background(), srv.source(testID), opts)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if res.SHA256 != sha(data) {
		t.Error("sha mismatch")
	}
	reqs := srv.requestsSeen()
	var ranges []string
	for _, r := range reqs {
		ranges = append(ranges, r.Header.Get("Range"))
	}
	want := []string{"", "bytes=700000-", "bytes=1500000-"}
	if fmt.Sprint(ranges) != fmt.Sprint(want) {
		t.Errorf("ranges = %q, want %q", ranges, want)
	}
}

func TestRestartWithoutRanges(t *testing.T) {
	t.Parallel()
	data := randomZip(t, 2<<20, 3)
	srv := (&server{t: t, data: data, breakAt: []int64{int64(len(data) / 3)}}).start()
	dir := t.TempDir()
	opts, _ := testOptions(t, dir)
	res := one(t, context.Background(), srv.source(testID), opts)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if res.SHA256 != sha(data) || res.Bytes != int64(len(data)) {
		t.Errorf("result = %+v", res)
	}
	reqs := srv.requestsSeen()
	if len(reqs) != 2 || reqs[1].Header.Get("Range") != "" {
		t.Errorf("requests: %d, second Range %q", len(reqs), reqs[len(reqs)-1].Header.Get("Range"))
	}
	got, _ := os.ReadFile(res.Path)
	if !bytes.Equal(got, data) {
		t.Error("file differs")
	}
}

func TestRangeAnsweredWith200Restarts(t *testing.T) {
	t.Parallel()
	data := randomZip(t, 1<<20, 2)
	srv := (&server{t: t, data: data, ranges: true, ignoreRange: true, breakAt: []int64{600000}}).start()
	dir := t.TempDir()
	opts, _ := testOptions(t, dir)
	res := one(t, context.Background(), srv.source(testID), opts)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if res.SHA256 != sha(data) || res.Bytes != int64(len(data)) {
		t.Errorf("result = %+v", res)
	}
	if reqs := srv.requestsSeen(); len(reqs) != 2 || reqs[1].Header.Get("Range") != "bytes=600000-" {
		t.Errorf("unexpected requests")
	}
}

func TestRetriesExhausted(t *testing.T) {
	t.Parallel()
	data := randomZip(t, 1<<20, 2)
	srv := (&server{t: t, data: data, ranges: true, breakAt: []int64{1000, 2000, 3000}}).start()
	dir := t.TempDir()
	opts, _ := testOptions(t, dir)
	opts.Retries = 2
	res := one(t, context.Background(), srv.source(testID), opts)
	if res.Err == nil || exit.Code(res.Err) != exit.Service || !strings.Contains(res.Err.Error(), "transfer broke") {
		t.Fatalf("err = %v (exit %d)", res.Err, exit.Code(res.Err))
	}
	if exit.Hint(res.Err) == "" {
		t.Error("no hint")
	}
	if names := listDir(t, dir); len(names) != 0 {
		t.Errorf("directory holds %v", names)
	}
}

func TestCorruptZip(t *testing.T) {
	t.Parallel()
	good := randomZip(t, 200000, 3)
	// Keep the entries, garble the central directory.
	bad := append([]byte(nil), good...)
	cd := bytes.LastIndex(bad, []byte("PK\x01\x02"))
	for i := cd - 100; i < len(bad)-22; i++ {
		bad[i] ^= 0x5a
	}
	// And one whose directory points past the data.
	truncated := append([]byte(nil), good[:len(good)/2]...)
	truncated = append(truncated, good[len(good)-200:]...)
	for name, data := range map[string][]byte{"garbled directory": bad, "truncated": truncated} {
		t.Run(name, func(t *testing.T) {
			srv := (&server{t: t, data: data, disposition: "attachment; filename=x.zip"}).start()
			dir := t.TempDir()
			opts, _ := testOptions(t, dir)
			res := one(t, context.Background(), srv.source(testID), opts)
			if res.Err == nil || exit.Code(res.Err) != exit.Failure || !strings.Contains(res.Err.Error(), "damaged") {
				t.Fatalf("err = %v", res.Err)
			}
			if names := listDir(t, dir); len(names) != 0 {
				t.Errorf("directory holds %v, want nothing", names)
			}
		})
	}
}

func TestCancelMidTransfer(t *testing.T) {
	t.Parallel()
	data := randomZip(t, 2<<20, 2)
	srv := (&server{t: t, data: data, hold: make(chan struct{}), holdAt: 1 << 20, sent: make(chan struct{})}).start()
	defer close(srv.hold)
	dir := t.TempDir()
	opts, _ := testOptions(t, dir)
	ctx, cancel := context.WithCancelCause(context.Background())
	// Cancel mid-body: the temporary file holds the first MiB, the server
	// holds the rest back.
	opts.hooks.wrote = func(got int64) {
		if got >= 1<<20 {
			cancel(exit.ErrInterrupted)
		}
	}
	res := one(t, ctx, srv.source(testID), opts)
	if !errors.Is(res.Err, exit.ErrInterrupted) || exit.Code(res.Err) != exit.Interrupted {
		t.Fatalf("err = %v", res.Err)
	}
	if names := listDir(t, dir); len(names) != 0 {
		t.Errorf("directory holds %v, want nothing", names)
	}
}

func TestParallelWithOneFailure(t *testing.T) {
	t.Parallel()
	datas := map[string][]byte{}
	ids := []string{"id-a", "id-b", "id-bad", "id-c", "id-d", "id-e"}
	for i, id := range ids {
		datas[id] = randomZip(t, 300000+i*1000, 1+i)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/archive/{id}", func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		if id == "id-bad" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"code":6,"message":"task not found"}`))
			return
		}
		w.Header().Set("Content-Type", "application/zip")
		w.Header().Set("Content-Disposition", `attachment; filename="same.zip"`) // the same for all
		w.Write(datas[id])
	})
	srv := &server{t: t, ts: httptest.NewServer(mux)}
	defer srv.ts.Close()
	dir := t.TempDir()
	opts, _ := testOptions(t, dir)
	opts.Parallel = 3
	var sources []Source
	for _, id := range ids {
		sources = append(sources, srv.source(id))
	}
	results := Run(context.Background(), sources, opts)
	names := map[string]bool{}
	for i, r := range results {
		if r.ID != ids[i] {
			t.Errorf("result %d is for %s, want %s", i, r.ID, ids[i])
		}
		if r.ID == "id-bad" {
			if exit.Code(r.Err) != exit.NotFound || r.Error == nil {
				t.Errorf("bad: err = %v", r.Err)
			}
			continue
		}
		if r.Err != nil {
			t.Errorf("%s: %v", r.ID, r.Err)
			continue
		}
		if r.SHA256 != sha(datas[r.ID]) || r.Files != i+1 {
			t.Errorf("%s: result %+v", r.ID, r)
		}
		if names[r.Path] {
			t.Errorf("%s: path %s used twice", r.ID, r.Path)
		}
		names[r.Path] = true
	}
	if len(listDir(t, dir)) != 5 {
		t.Errorf("dir holds %v", listDir(t, dir))
	}
}

func TestStdout(t *testing.T) {
	t.Parallel()
	data := randomZip(t, 1<<20, 5)
	srv := (&server{t: t, data: data, ranges: true, breakAt: []int64{300000}}).start()
	opts, out := testOptions(t, "")
	opts.Output = "-"
	res := one(t, context.Background(), srv.source(testID), opts)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if !bytes.Equal(out.Bytes(), data) {
		t.Error("stdout differs from the archive")
	}
	if res.Path != "-" || res.SHA256 != sha(data) || res.Files != 5 || res.Bytes != int64(len(data)) {
		t.Errorf("result = %+v", res)
	}

	t.Run("no ranges: cannot restart", func(t *testing.T) {
		srv := (&server{t: t, data: data, breakAt: []int64{300000}}).start()
		opts, _ := testOptions(t, "")
		opts.Output = "-"
		res := one(t, context.Background(), srv.source(testID), opts)
		if res.Err == nil || !strings.Contains(res.Err.Error(), "cannot resume") {
			t.Fatalf("err = %v", res.Err)
		}
	})
	t.Run("not a zip at the end", func(t *testing.T) {
		bad := append([]byte(nil), data[:len(data)-22]...)
		srv := (&server{t: t, data: bad}).start()
		opts, _ := testOptions(t, "")
		opts.Output = "-"
		res := one(t, context.Background(), srv.source(testID), opts)
		if res.Err == nil || exit.Code(res.Err) != exit.Failure {
			t.Fatalf("err = %v", res.Err)
		}
	})
}

func TestOutputPath(t *testing.T) {
	t.Parallel()
	data := makeZip(t, zipEntry{name: "a", body: []byte("a")})
	srv := (&server{t: t, data: data, disposition: "attachment; filename=server.zip"}).start()
	dir := t.TempDir()
	opts, _ := testOptions(t, "")
	opts.Output = filepath.Join(dir, "mine.bin")
	res := one(t, context.Background(), srv.source(testID), opts)
	if res.Err != nil || res.Path != opts.Output {
		t.Fatalf("res = %+v", res)
	}
	if names := listDir(t, dir); len(names) != 1 || names[0] != "mine.bin" {
		t.Errorf("dir = %v", names)
	}
	opts.Output = dir
	if res := one(t, context.Background(), srv.source(testID), opts); res.Err == nil || !strings.Contains(res.Err.Error(), "is a directory") {
		t.Errorf("-o DIR: err = %v", res.Err)
	}
	// Missing parent directories are created, as -d creates its own.
	opts.Output = filepath.Join(dir, "missing", "sub", "x.zip")
	if res := one(t, context.Background(), srv.source(testID), opts); res.Err != nil || res.Path != opts.Output {
		t.Errorf("-o in a missing directory: %+v", res)
	}
	if _, err := os.Stat(opts.Output); err != nil {
		t.Error(err)
	}
}

func TestFilePermissionsFollowUmask(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	data := makeZip(t, zipEntry{name: "a", body: []byte("a")})
	srv := (&server{t: t, data: data}).start()
	dir := t.TempDir()
	opts, _ := testOptions(t, dir)
	res := one(t, context.Background(), srv.source(testID), opts)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	fi, _ := os.Stat(res.Path)
	if fi.Mode().Perm()&0o600 != 0o600 || fi.Mode().Perm()&0o111 != 0 {
		t.Errorf("mode %v", fi.Mode())
	}
}

func TestCountFromTail(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 70000} {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for i := range n {
			zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("f%d", i), Method: zip.Store})
		}
		zw.SetComment("a comment with PK\x05\x06 inside")
		zw.Close()
		data := buf.Bytes()
		tail := data
		if len(tail) > tailMax {
			tail = tail[len(tail)-tailMax:]
		}
		got, err := countFromTail(tail, int64(len(data)))
		if err != nil || got != n {
			t.Errorf("%d entries: got %d, %v", n, got, err)
		}
	}
	if _, err := countFromTail([]byte("PK\x03\x04 not a zip at all, no end record"), 40); err == nil {
		t.Error("garbage accepted")
	}
}

func FuzzCountFromTail(f *testing.F) {
	f.Add(makeZip(f, zipEntry{name: "a", body: []byte("x")}), int64(0))
	f.Add([]byte("PK\x05\x06\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00\x00"), int64(0))
	f.Fuzz(func(t *testing.T, tail []byte, extra int64) {
		if extra < 0 {
			extra = -extra
		}
		n, err := countFromTail(tail, int64(len(tail))+extra%(1<<40))
		if err == nil && n < 0 {
			t.Fatalf("negative count %d", n)
		}
		_, _ = checkZip(bytes.NewReader(tail), int64(len(tail)))
	})
}
