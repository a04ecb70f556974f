package emulator

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"net/http"
	"testing"
	"time"
)

func TestFamilyIDsRoundTrip(t *testing.T) {
	for _, fault := range []string{FamilyOK, FamilyDrop, Family503, FamilyStall, FamilySlow, FamilyText200, FamilyZipSlip, FamilySymlink, FamilyEvilName} {
		id := FamilyTask(1024, fault, 199)
		if !isUUID(id) {
			t.Fatalf("%s is not a GUID", id)
		}
		size, k, n, ok := familyMember(id)
		if !ok || size != 1024 || n != 199 || k != familyKinds[fault] {
			t.Errorf("%s: size %d kind %d serial %d ok %v", id, size, k, n, ok)
		}
	}
	for _, bad := range []string{TaskOK, "5a11a4c0-0400-0bad-8000-000000000001", "5a11a4c0-0400-0000-9000-000000000001"} {
		if _, _, _, ok := familyMember(bad); ok {
			t.Errorf("%s accepted as a family member", bad)
		}
	}
}

// Every member is a valid ZIP of its size whose bytes depend on the size
// and serial only: serials differ, fault codes do not change the bytes.
func TestFamilyArchives(t *testing.T) {
	_, url := serve(t, Options{})
	get := func(id string) answer {
		t.Helper()
		a := call(t, "GET", sandboxURL(url, id), "", sandboxAuth)
		if a.status != 200 || a.err != nil {
			t.Fatalf("%s: status %d, %v", id, a.status, a.err)
		}
		return a
	}
	one := get(FamilyTask(64, FamilyOK, 1))
	zr, err := zip.NewReader(bytes.NewReader(one.body), int64(len(one.body)))
	if err != nil {
		t.Fatal(err)
	}
	var dump int64
	for _, f := range zr.File {
		if f.Name == "debug_report/memory.dmp" {
			dump = int64(f.UncompressedSize64)
		}
	}
	if dump != 64<<10 {
		t.Errorf("dump is %d bytes, want %d", dump, 64<<10)
	}
	two := get(FamilyTask(64, FamilyOK, 2))
	if sha256.Sum256(one.body) == sha256.Sum256(two.body) {
		t.Error("serials 1 and 2 have the same bytes")
	}
	// Request 1 of a 503 member is refused, 3 is served; the dropped one
	// (request 1 of drop) is cut, request 2 whole.
	if a := call(t, "GET", sandboxURL(url, FamilyTask(64, Family503, 1)), "", sandboxAuth); a.status != 503 {
		t.Errorf("first 503 request: %d", a.status)
	}
	call(t, "GET", sandboxURL(url, FamilyTask(64, Family503, 1)), "", sandboxAuth)
	if b := get(FamilyTask(64, Family503, 1)).body; !bytes.Equal(b, one.body) {
		t.Error("the 503 member's archive differs from the plain one")
	}
	if a := call(t, "GET", sandboxURL(url, FamilyTask(64, FamilyDrop, 1)), "", sandboxAuth); a.err == nil {
		t.Error("first drop request was not cut")
	}
	get(FamilyTask(64, FamilyDrop, 1))

	if a := call(t, "GET", sandboxURL(url, FamilyTask(64, FamilyText200, 1)), "", sandboxAuth); a.status != 200 || a.header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Errorf("text member: %d %q", a.status, a.header.Get("Content-Type"))
	}
	evil := get(FamilyTask(64, FamilyEvilName, 7))
	if cd := evil.header.Get("Content-Disposition"); cd != `attachment; filename="../../etc/evil-000000000007.zip"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	if names := zipNames(t, get(FamilyTask(64, FamilyZipSlip, 1)).body); names[len(names)-1] != "../evil.txt" {
		t.Errorf("zip-slip member lists %q", names)
	}
}

// The Server counts the TCP connections it accepted and those open.
func TestServerCountsConnections(t *testing.T) {
	s, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	for i := 0; i < 3; i++ {
		call(t, "GET", sandboxURL(s.URL, TaskOK), "", sandboxAuth) // a new connection each
	}
	// One keep-alive client: two requests, one connection.
	c := &http.Client{Transport: &http.Transport{}}
	for i := 0; i < 2; i++ {
		resp, err := c.Get(s.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = bytes.NewBuffer(nil).ReadFrom(resp.Body)
		resp.Body.Close()
	}
	a := call(t, "GET", s.URL+statsPath, "", nil)
	var st struct{ Connections, Open int64 }
	decode(t, a.body, &st)
	if st.Connections != 5 { // 3 + 1 keep-alive + the stats request's own
		t.Errorf("connections = %d, want 5 (%s)", st.Connections, a.body)
	}
	c.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.WaitConnsClosed(ctx); err != nil {
		t.Fatalf("connections still open: %v", err)
	}
	if total, open := s.Connections(); total != 5 || open != 0 {
		t.Errorf("Connections() = %d, %d; want 5, 0", total, open)
	}
}
