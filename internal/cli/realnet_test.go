package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// Real servers and proxies between diagctl and a service, through the
// real command tree.

// rawControl is the first byte of b a terminal could act on, or -1.
func rawControl(b string) int {
	for i, r := range b {
		if r == utf8.RuneError || r < 0x20 && r != '\t' && r != '\n' || r == 0x7f || r >= 0x80 && r <= 0x9f {
			return i
		}
	}
	return -1
}

func runTree(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	env["XDG_CONFIG_HOME"] = t.TempDir()
	env["DIAGCTL_SANDBOX_USER"], env["DIAGCTL_SANDBOX_PASSWORD"] = emulator.SandboxUser, emulator.SandboxPassword
	code = Run(context.Background(), append([]string{"--retries", "0"}, args...), ios, func(k string) string { return env[k] })
	return code, out.String(), errOut.String()
}

const hostileMessage = "bad id \u001b]0;TITLE\u0007\u001b[2K end\nerror: fake \u009b31m"

func TestServerTextEscaped(t *testing.T) {
	t.Parallel()
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	fw, _ := zw.Create("a.txt")
	io.WriteString(fw, "hello")
	zw.Close()
	archive := zbuf.Bytes()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, emulator.TaskOK) {
			w.Header().Set("Content-Type", "text/plain") // nginx's default_type
			// Go refuses raw control bytes in a header; RFC 5987 encoding
			// carries them all the same.
			w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''rep%1B%5B31mort%07%C2%9B.zip")
			w.Write(archive)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		b, _ := json.Marshal(map[string]any{"code": 99, "message": hostileMessage})
		w.Write(b)
	}))
	t.Cleanup(ts.Close)
	dir := t.TempDir()
	env := map[string]string{"DIAGCTL_SANDBOX_SERVER": ts.URL}
	bad := "d1a9c7f0-5a4e-4b6e-9c2d-00000000dead"

	code, out, errOut := runTree(t, env, "sandbox", "debug-report", "-d", dir, emulator.TaskOK, bad)
	if code != 5 {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	for name, s := range map[string]string{"stdout": out, "stderr": errOut} {
		if i := rawControl(s); i >= 0 {
			t.Errorf("%s has a raw control byte at %d: %q", name, i, s)
		}
	}
	if !strings.Contains(errOut, `bad id \e]0;TITLE\x07\e[2K end\nerror: fake \u009b31m`) || strings.Count(errOut, "\n") != 1 {
		t.Errorf("stderr %q: want the message escaped on one line", errOut)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 || !strings.Contains(out, filepath.Join(dir, ents[0].Name())) || !regexp.MustCompile(`\t[0-9a-f]{64}\t`).MatchString(out) {
		t.Fatalf("dir %v, stdout %q", ents, out)
	}

	code, out, errOut = runTree(t, env, "--json", "sandbox", "debug-report", "-d", t.TempDir(), emulator.TaskOK, bad)
	if code != 5 || rawControl(out) >= 0 || rawControl(errOut) >= 0 {
		t.Errorf("exit %d, raw control in --json output: %q %q", code, out, errOut)
	}
	var doc []struct {
		Path  string  `json:"path"`
		Error *string `json:"error"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc) != 2 || doc[1].Error == nil || !strings.Contains(*doc[1].Error, hostileMessage) {
		t.Fatalf("--json %q (%v)", out, err)
	}
	if _, err := os.Stat(doc[0].Path); err != nil {
		t.Errorf("--json path %q is not the saved file: %v", doc[0].Path, err)
	}
}

// forwardProxy is a plain-HTTP forward proxy to upstream, or one that
// answers 407 to everything when deny.
func forwardProxy(t *testing.T, upstream string, deny bool) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	p := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if deny {
			w.Header().Set("Proxy-Authenticate", `Basic realm="corp"`)
			w.WriteHeader(http.StatusProxyAuthRequired)
			return
		}
		out := r.Clone(r.Context())
		out.RequestURI, out.URL.Host = "", upstream
		resp, err := http.DefaultTransport.RoundTrip(out)
		if err != nil {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}))
	t.Cleanup(p.Close)
	return p, &n
}

func TestProxies(t *testing.T) {
	t.Parallel()
	emu := httptest.NewServer(emulator.New(emulator.Options{}))
	t.Cleanup(emu.Close)
	upstream := emu.Listener.Addr().String()
	_, port, _ := net.SplitHostPort(upstream)
	// A name that is not loopback (loopback is never proxied); the
	// proxies reach the emulator whatever the name.
	server := "http://sandbox.test:" + port
	good, goodN := forwardProxy(t, upstream, false)
	deny, _ := forwardProxy(t, upstream, true)
	dead := "http://" + closedAddr(t)

	t.Run("407 names the proxy, exit 3", func(t *testing.T) {
		proxy := strings.Replace(deny.URL, "http://", "http://alice:s3cr3t@", 1)
		code, _, errOut := runTree(t, map[string]string{"DIAGCTL_SANDBOX_SERVER": server, "HTTP_PROXY": proxy}, "sandbox", "debug-report", "-d", t.TempDir(), emulator.TaskOK)
		if code != 3 || !strings.Contains(errOut, "the proxy http://alice:[redacted]@"+strings.TrimPrefix(deny.URL, "http://")) ||
			!strings.Contains(errOut, "check the user and password in HTTP_PROXY") || strings.Contains(errOut, "s3cr3t") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
	t.Run("the service's setting overrides the environment", func(t *testing.T) {
		before := goodN.Load()
		code, out, errOut := runTree(t, map[string]string{"DIAGCTL_SANDBOX_SERVER": server, "HTTP_PROXY": dead, "DIAGCTL_SANDBOX_PROXY": good.URL},
			"sandbox", "debug-report", "-d", t.TempDir(), emulator.TaskOK)
		if code != 0 || goodN.Load() != before+1 || !regexp.MustCompile(`\t[0-9a-f]{64}\t`).MatchString(out) {
			t.Errorf("exit %d, %d requests through the proxy, stderr %q", code, goodN.Load()-before, errOut)
		}
	})
	t.Run("--proxy overrides the service's setting", func(t *testing.T) {
		code, _, errOut := runTree(t, map[string]string{"DIAGCTL_SANDBOX_SERVER": server, "DIAGCTL_SANDBOX_PROXY": good.URL},
			"--proxy", dead, "sandbox", "debug-report", "-d", t.TempDir(), emulator.TaskOK)
		if code != 6 || !strings.Contains(errOut, "cannot reach the proxy "+dead+": check --proxy") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
	t.Run("an unreachable proxy from HTTP_PROXY, exit 6", func(t *testing.T) {
		code, _, errOut := runTree(t, map[string]string{"DIAGCTL_SANDBOX_SERVER": server, "HTTP_PROXY": dead}, "sandbox", "debug-report", "-d", t.TempDir(), emulator.TaskOK)
		if code != 6 || !strings.Contains(errOut, "cannot reach the proxy "+dead+": check HTTP_PROXY") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
	t.Run("a bad proxy setting is a usage error", func(t *testing.T) {
		code, _, errOut := runTree(t, map[string]string{"DIAGCTL_SANDBOX_SERVER": server}, "--proxy", "ftp://x:21", "sandbox", "debug-report", emulator.TaskOK)
		if code != 2 || !strings.Contains(errOut, "--proxy") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
}

func closedAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}
