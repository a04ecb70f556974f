package httpx

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// TestNoRedirect: a call with NoRedirect gets the 302 itself (the target
// is never asked), while a plain call on the same client still follows,
// and the trace shows the Location's signature redacted.
func TestNoRedirect(t *testing.T) {
	t.Parallel()
	var targetHits atomic.Int32
	var srv = newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/blob" {
			targetHits.Add(1)
			io.WriteString(w, "content")
			return
		}
		w.Header().Set("Location", "/blob?sv=2019-07-07&sr=b&sig=c2VjcmV0LXNpZw%3D%3D")
		w.WriteHeader(http.StatusFound)
	})
	var trace bytes.Buffer
	c, _ := newClient(t, Options{Trace: &trace})

	resp, err := c.Send(get(t, srv.URL+"/key"), Call{NoRedirect: true})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("status %d, want 302", resp.StatusCode)
	}
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "sig=c2VjcmV0") {
		t.Errorf("Location %q: the caller gets it unredacted", loc)
	}
	if n := targetHits.Load(); n != 0 {
		t.Fatalf("the redirect was followed (%d requests to the target)", n)
	}
	if strings.Contains(trace.String(), "c2VjcmV0") {
		t.Errorf("the trace shows the signature:\n%s", trace.String())
	}
	if !strings.Contains(trace.String(), "< Location: /blob?sv=2019-07-07&sr=b&sig="+Redacted) {
		t.Errorf("the trace lacks the redacted Location:\n%s", trace.String())
	}

	resp, err = c.Do(get(t, srv.URL+"/key"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "content" || targetHits.Load() != 1 {
		t.Fatalf("a plain call: status %d, body %q, %d target requests; want the redirect followed", resp.StatusCode, body, targetHits.Load())
	}
}

// TestRedirectLoopStops: followed redirects keep net/http's limit.
func TestRedirectLoopStops(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, "/again", http.StatusFound)
	})
	c, _ := newClient(t, Options{Retries: 0})
	_, err := c.Do(get(t, srv.URL+"/start"))
	if err == nil || !strings.Contains(err.Error(), "stopped after 10 redirects") {
		t.Fatalf("err = %v, want the redirect limit", err)
	}
	if n := hits.Load(); n != maxRedirects {
		t.Errorf("%d requests, want %d", n, maxRedirects)
	}
}
