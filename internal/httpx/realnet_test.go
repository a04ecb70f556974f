package httpx

import (
	"bytes"
	"compress/gzip"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/safetext"
)

// What real servers and proxies put between diagctl and a service.

func isZip(b []byte) bool {
	return bytes.HasPrefix(b, []byte("PK\x03\x04")) || bytes.HasPrefix(b, []byte("PK\x05\x06"))
}

func TestBinaryRecognisedByItsBytes(t *testing.T) {
	t.Parallel()
	empty := []byte("PK\x05\x06" + strings.Repeat("\x00", 18))
	for _, tt := range []struct {
		name, ct string
		body     []byte
		wantErr  bool
	}{
		{"zip as text/plain (nginx default_type)", "text/plain", zipBody, false},
		{"zip as application/json", "application/json", zipBody, false},
		{"zip as text/html", "text/html; charset=utf-8", zipBody, false},
		{"empty archive as text/plain", "text/plain", empty, false},
		{"zip as octet-stream", "application/octet-stream", zipBody, false},
		{"json under application/zip", "application/zip", []byte(`{"error":"task not found"}`), true},
		{"json array under application/zip", "application/zip", []byte(` [{"e":1}]`), true},
		{"html under application/zip", "application/zip", []byte("<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>"), true},
		{"text under application/zip", "application/zip", []byte("Service Unavailable\n"), true},
		{"text under text/plain", "text/plain", []byte("internal error"), true},
		// Neither the file nor an error body: handed back for the caller
		// to refuse (download says "not a ZIP archive").
		{"gzip bytes under application/zip", "application/zip", []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.ct)
				w.Write(tt.body)
			})
			c, _ := newClient(t, Options{})
			resp, err := c.Send(get(t, srv.URL), Call{Binary: true, IsFile: isZip})
			if tt.wantErr {
				if err == nil {
					resp.Body.Close()
					t.Fatal("an error body was handed back as the file")
				}
				if exit.Code(err) != exit.Service || !safetext.IsSafe(err.Error()) {
					t.Errorf("err %q (exit %d)", err, exit.Code(err))
				}
				if strings.Contains(tt.name, "html") && !strings.Contains(err.Error(), "HTTP 200: 502 Bad Gateway") {
					t.Errorf("err %q: want the page's title", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !bytes.Equal(got, tt.body) {
				t.Errorf("body changed: %d bytes, want %d", len(got), len(tt.body))
			}
		})
	}
}

func TestErrorBodyNeverQuotesBinary(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		w.Write(zipBody[:300])
	})
	c, _ := newClient(t, Options{})
	_, err := c.Do(get(t, srv.URL))
	if err == nil || strings.Contains(err.Error(), "PK") || !strings.Contains(err.Error(), "300-byte answer that is not text") {
		t.Errorf("err %q", err)
	}
}

func gzipped(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func TestUnaskedContentEncoding(t *testing.T) {
	t.Parallel()
	t.Run("gzip is decoded, length and ranges dropped", func(t *testing.T) {
		enc := gzipped(t, zipBody)
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Accept-Encoding") != "" {
				t.Errorf("diagctl asked for %q", r.Header.Get("Accept-Encoding"))
			}
			w.Header().Set("Content-Type", "application/zip")
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Accept-Ranges", "bytes")
			w.Write(enc)
		})
		c, _ := newClient(t, Options{})
		resp, err := c.Send(get(t, srv.URL), Call{Binary: true, IsFile: isZip})
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || !bytes.Equal(got, zipBody) || !resp.Uncompressed || resp.ContentLength != -1 || resp.Header.Get("Content-Encoding") != "" {
			t.Errorf("err %v, %d bytes (want %d), Uncompressed %v, ContentLength %d", err, len(got), len(zipBody), resp.Uncompressed, resp.ContentLength)
		}
	})
	t.Run("gzip error body is read as text", func(t *testing.T) {
		enc := gzipped(t, []byte(`{"error":"busy"}`))
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.WriteHeader(http.StatusBadRequest)
			w.Write(enc)
		})
		c, _ := newClient(t, Options{})
		_, err := c.Do(get(t, srv.URL))
		if err == nil || !strings.Contains(err.Error(), `{"error":"busy"}`) {
			t.Errorf("err %v", err)
		}
	})
	t.Run("another encoding is refused, named", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/zip")
			w.Header().Set("Content-Encoding", "br")
			w.Write([]byte{0x8b, 0x02, 0x80})
		})
		c, _ := newClient(t, Options{})
		_, err := c.Send(get(t, srv.URL), Call{Binary: true, IsFile: isZip})
		if err == nil || !strings.Contains(err.Error(), "Content-Encoding: br") || exit.Code(err) != exit.Failure || !strings.Contains(exit.Hint(err), "compression") {
			t.Errorf("err %v (exit %d), hint %q", err, exit.Code(err), exit.Hint(err))
		}
	})
}

// selfSigned is a TLS certificate for a server: with sans false it names
// its host only in the Common Name.
func selfSigned(t *testing.T, cn string, ips []net.IP) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true, IPAddresses: ips,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func TestTLSAndSchemeHints(t *testing.T) {
	t.Parallel()
	quiet := log.New(io.Discard, "", 0)
	t.Run("certificate with the host only in its Common Name", func(t *testing.T) {
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{selfSigned(t, "127.0.0.1", nil)}}
		srv.Config.ErrorLog = quiet
		srv.StartTLS()
		t.Cleanup(srv.Close)
		c, _ := newClient(t, Options{Service: "sandbox"})
		_, err := c.Do(get(t, srv.URL))
		h := exit.Hint(err)
		if exit.Code(err) != exit.Service || !strings.Contains(h, "only in its Common Name") || !strings.Contains(h, "subjectAltName IP:127.0.0.1") || !strings.Contains(h, "--insecure") {
			t.Errorf("err %v, hint %q", err, h)
		}
	})
	t.Run("http:// to an HTTPS port: nginx's page", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, "<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>The plain HTTP request was sent to HTTPS port</center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n")
		})
		c, _ := newClient(t, Options{Service: "sandbox"})
		_, err := c.Do(get(t, srv.URL+"/api/v1/x"))
		want := "use https://" + srv.Listener.Addr().String() + " in the server setting"
		if exit.Code(err) != exit.Rejected || !strings.Contains(exit.Hint(err), want) {
			t.Errorf("err %v, hint %q, want %q", err, exit.Hint(err), want)
		}
	})
	t.Run("http:// to a Go HTTPS server", func(t *testing.T) {
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
		srv.Config.ErrorLog = quiet
		srv.StartTLS()
		t.Cleanup(srv.Close)
		c, _ := newClient(t, Options{Service: "sandbox"})
		_, err := c.Do(get(t, "http://"+srv.Listener.Addr().String()+"/x"))
		if !strings.Contains(exit.Hint(err), "use https://"+srv.Listener.Addr().String()) {
			t.Errorf("err %v, hint %q", err, exit.Hint(err))
		}
	})
	t.Run("http:// to a port that answers with a TLS alert", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		go func() {
			for {
				conn, err := l.Accept()
				if err != nil {
					return
				}
				conn.Read(make([]byte, 512))
				conn.Write([]byte{0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46}) // alert: protocol version
				conn.Close()
			}
		}()
		c, _ := newClient(t, Options{Service: "sandbox"})
		_, err = c.Do(get(t, "http://"+l.Addr().String()+"/x"))
		if !strings.Contains(exit.Hint(err), "use https://"+l.Addr().String()) {
			t.Errorf("err %v, hint %q", err, exit.Hint(err))
		}
	})
	t.Run("https:// to a plain HTTP port", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {})
		c, _ := newClient(t, Options{Service: "sandbox"})
		host := srv.Listener.Addr().String()
		_, err := c.Do(get(t, "https://"+host+"/x"))
		if exit.Code(err) != exit.Service || !strings.Contains(exit.Hint(err), "plain HTTP on this port: use http://"+host) {
			t.Errorf("err %v, hint %q", err, exit.Hint(err))
		}
	})
}

func TestTraceProtocolAndEscaping(t *testing.T) {
	t.Parallel()
	t.Run("HTTP/2", func(t *testing.T) {
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, r.Proto) }))
		srv.EnableHTTP2 = true
		srv.StartTLS()
		t.Cleanup(srv.Close)
		var trace bytes.Buffer
		c, _ := newClient(t, Options{CACert: writeCertPEM(t, srv), Trace: &trace})
		resp, err := c.Do(get(t, srv.URL+"/p"))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != "HTTP/2.0" {
			t.Fatalf("the test server spoke %s", body)
		}
		if !strings.Contains(trace.String(), "> GET /p HTTP/2.0\n") || !strings.Contains(trace.String(), "< HTTP/2.0 200 OK\n") {
			t.Errorf("trace:\n%s", trace.String())
		}
	})
	t.Run("HTTP/1.1", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {})
		var trace bytes.Buffer
		c, _ := newClient(t, Options{Trace: &trace})
		resp, err := c.Do(get(t, srv.URL+"/p"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if !strings.Contains(trace.String(), "> GET /p HTTP/1.1\n") {
			t.Errorf("trace:\n%s", trace.String())
		}
	})
	t.Run("server text escaped", func(t *testing.T) {
		// A raw listener: Go's server would refuse to send these bytes.
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		go func() {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			defer conn.Close()
			conn.Read(make([]byte, 4096))
			io.WriteString(conn, "HTTP/1.1 503 Busy \x1b]0;pwned\x07\r\nX-Note: a\u009b31m\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		}()
		var trace bytes.Buffer
		c, _ := newClient(t, Options{Trace: &trace})
		_, err = c.Do(get(t, "http://"+l.Addr().String()+"/x"))
		if err == nil {
			t.Fatal("want the 503")
		}
		tr := trace.String()
		if strings.ContainsAny(tr, "\x1b\x07\u009b") || !strings.Contains(tr, `503 Busy \e]0;pwned\x07`) || !strings.Contains(tr, `X-Note: a\u009b31m`) {
			t.Errorf("trace not escaped:\n%q", tr)
		}
	})
}

func TestTimeoutBoundsRetries(t *testing.T) {
	t.Parallel()
	// Each attempt fails fast with a 503, and the waits between them are
	// real: --timeout ends the call, however many retries remain.
	var n atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	c, err := New(Options{Service: "sandbox", Retries: 1000, Timeout: 300 * time.Millisecond, Backoff: Backoff{Base: 40 * time.Millisecond, Max: 40 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = c.Do(get(t, srv.URL))
	el := time.Since(start)
	var te *TimeoutError
	if !errors.As(err, &te) || !strings.HasPrefix(err.Error(), "sandbox: ") || !strings.HasSuffix(err.Error(), "timed out after 300ms") || !strings.HasPrefix(exit.Hint(err), "raise --timeout") || exit.Code(err) != exit.Service {
		t.Errorf("err %v (exit %d), hint %q", err, exit.Code(err), exit.Hint(err))
	}
	if el < 300*time.Millisecond || el > 3*time.Second || n.Load() < 2 {
		t.Errorf("took %v for %d attempts", el, n.Load())
	}
}
