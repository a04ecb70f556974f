package emulator

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// serve runs an emulator behind a real loopback server: the faults that
// drop or hold connections need one.
func serve(t *testing.T, o Options) (*Emulator, string) {
	t.Helper()
	e := New(o)
	ts := httptest.NewServer(e)
	t.Cleanup(ts.Close)
	return e, ts.URL
}

type answer struct {
	status int
	header http.Header
	body   []byte
	err    error // from reading the body: a dropped connection shows here
}

// call sends one request; setup may add headers and auth.
func call(t *testing.T, method, url, body string, setup func(*http.Request)) answer {
	t.Helper()
	return callCtx(t, context.Background(), method, url, body, setup)
}

func callCtx(t *testing.T, ctx context.Context, method, url, body string, setup func(*http.Request)) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if setup != nil {
		setup(req)
	}
	// A client of its own: no connection reuse between the requests of a
	// test, so a dropped connection cannot spill into the next request.
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true, DisableCompression: true}}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, rerr := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: b, err: rerr}
}

func sandboxAuth(r *http.Request) { r.SetBasicAuth(SandboxUser, SandboxPassword) }

func withHeaders(kv ...string) func(*http.Request) {
	return func(r *http.Request) {
		for i := 0; i+1 < len(kv); i += 2 {
			r.Header.Set(kv[i], kv[i+1])
		}
	}
}

// jsonEqual compares a JSON body with the expected document, ignoring
// formatting.
func jsonEqual(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expectation %s: %v", want, err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if !bytes.Equal(gb, wb) {
		t.Errorf("body = %s, want %s", gb, wb)
	}
}

// zipNames opens b as a ZIP archive (checking every entry's CRC) and
// returns its entry names.
func zipNames(t *testing.T, b []byte) []string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a ZIP archive: %v", err)
	}
	var names []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("open %s: %v", f.Name, err)
		}
		if _, err := io.Copy(io.Discard, rc); err != nil {
			t.Fatalf("read %s: %v", f.Name, err)
		}
		rc.Close()
		names = append(names, f.Name)
	}
	return names
}

func decode(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("body is not the expected JSON: %v\n%s", err, b)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
