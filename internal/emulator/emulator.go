// Package emulator serves the four vendor APIs diagctl talks to (Kaspersky
// Research Sandbox, Huawei CodeArts Check, the Azure DevOps symbol service
// and Pangeo Radar) from one http.Handler, with the paths, headers and
// error bodies described in the vendor pages, plus fault modes for tests,
// demos and benchmarks. It is meant for loopback use only: credentials are
// fixed and printed.
package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Options configure an Emulator. The zero value is ready to use.
type Options struct {
	// BigSize is the exact size of the generated TaskBig/SubJobBig archive
	// (default DefaultBigSize, at least MinBigSize).
	BigSize int64
	// Fault applies to every archive download: "" (none), FaultSlow,
	// FaultDrop, Fault503 or FaultStall. IDs with a fault of their own keep
	// theirs. An unknown value is treated as none (the CLI validates it).
	Fault string
	// SlowRate is the rate of slow answers in bytes per second (default
	// DefaultSlowRate).
	SlowRate int
	// RequirePreview makes the symbol service refuse an api-version
	// without "-preview", as a preview resource does.
	RequirePreview bool
	// LogsToken is the X-Auth-Token CodeArts accepts (default LogsToken).
	LogsToken string
	// RadarAPIKey, when set, must arrive in the PgrApiKey header.
	RadarAPIKey string
	// RadarFault applies to every Radar create and update whose id has no
	// fault of its own: "" (none), RadarFault503, RadarFault429,
	// RadarFaultDrop, RadarFaultSlow or RadarFaultStall (radar_faults.go).
	RadarFault string
	// KnownBlobs are blob identifiers the symbol service holds besides
	// KnownBlobID (and any added later with HoldBlob).
	KnownBlobs []string
	// Now is the clock for IAM token expiry and the AK/SK date check
	// (default time.Now): tests move it to expire tokens.
	Now func() time.Time
	// ReceivedLimit keeps only the latest requests in the Received log, so
	// a long-running emulator under benchmark load does not grow without
	// bound; 0 keeps every request (what tests want).
	ReceivedLimit int
}

// Defaults for Options.
const (
	DefaultBigSize  = 64 << 20
	DefaultSlowRate = 512 << 10
)

// Request is one request as the emulator received it.
type Request struct {
	Time     time.Time
	Method   string
	Host     string
	Path     string
	RawQuery string
	Header   http.Header // a clone: tests may read it at leisure
	Body     []byte      // the request body (empty for downloads)
}

// maxBody bounds what the emulator reads of a request body; the real
// services refuse far smaller bodies.
const maxBody = 32 << 20

// Emulator is the handler for all four APIs. Its state (request log,
// counters for the intermittent faults, stored debug entries and report
// tasks) lives as long as it does.
type Emulator struct {
	opts       Options
	knownBlobs map[string]bool

	mu       sync.Mutex
	received []Request
	counts   map[string]int
	archives map[string]*lazyArchive
	symbols  *symbolStore // symbol requests and their entries, made on first use
	tasks    []ReportTask
	issued   map[string]time.Time // IAM tokens issued -> expires_at; made on first use

	conns connCounter // through a Server's ConnState hook

	bigOnce sync.Once
	big     *bigZip
}

// New returns an emulator. It does no more than fill in defaults and make
// a few maps: every archive is built on first use, because the CLI's
// start-up time matters.
func New(o Options) *Emulator {
	if o.BigSize <= 0 {
		o.BigSize = DefaultBigSize
	}
	if o.BigSize < MinBigSize {
		o.BigSize = MinBigSize
	}
	if o.SlowRate <= 0 {
		o.SlowRate = DefaultSlowRate
	}
	if o.LogsToken == "" {
		o.LogsToken = LogsToken
	}
	e := &Emulator{
		opts:       o,
		knownBlobs: map[string]bool{KnownBlobID: true},
		counts:     map[string]int{},
		archives:   map[string]*lazyArchive{},
	}
	for _, b := range o.KnownBlobs {
		e.knownBlobs[b] = true
	}
	return e
}

// Options returns the options in effect, defaults filled in.
func (e *Emulator) Options() Options { return e.opts }

// ServeHTTP logs the request and routes it to one of the four services.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return // the client went away
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	e.record(r, body)
	if len(body) > maxBody {
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return
	}

	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/api/v1/sandbox/"):
		e.serveSandbox(w, r)
	case p == "/v1/log-file":
		e.serveLogs(w, r)
	case p == iamTokensPath:
		e.serveIAM(w, r)
	case p == radarPath || p == radarUpdatePath:
		e.serveRadar(w, r)
	case strings.Contains(strings.ToLower(p), "/_apis/symbol/"):
		e.serveSymbols(w, r)
	case p == statsPath:
		e.serveStats(w)
	case p == "/" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		// A person pointing a browser or curl at the emulator gets the
		// same description the command prints.
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		e.Describe(w, baseURL(r))
	default:
		http.NotFound(w, r)
	}
}

func (e *Emulator) record(r *http.Request, body []byte) {
	req := Request{
		Time:     time.Now(),
		Method:   r.Method,
		Host:     r.Host,
		Path:     r.URL.Path,
		RawQuery: r.URL.RawQuery,
		Header:   r.Header.Clone(),
		Body:     body,
	}
	e.mu.Lock()
	e.received = append(e.received, req)
	if n := e.opts.ReceivedLimit; n > 0 && len(e.received) >= 2*n {
		// Trim in batches: one copy every n requests, not one per request.
		e.received = append(e.received[:0:0], e.received[len(e.received)-n:]...)
	}
	e.mu.Unlock()
}

// Received returns every request received so far, oldest first (with
// Options.ReceivedLimit, at least the latest ReceivedLimit of them).
func (e *Emulator) Received() []Request {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Request(nil), e.received...)
}

// next counts one more request for key and returns its number, from 1.
// The intermittent faults (503 twice in three, drop every other) use it.
func (e *Emulator) next(key string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.counts[key]++
	return e.counts[key]
}

// baseURL is the scheme and host the client used, for URLs in answers.
func baseURL(r *http.Request) string {
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

// writeJSON sends v as a JSON body with the given Content-Type.
func writeJSON(w http.ResponseWriter, status int, ctype string, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	w.Header().Set("Content-Type", ctype)
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// isUUID accepts the canonical 8-4-4-4-12 hexadecimal form, either case:
// the form the vendors document and the one diagctl sends.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isHex(c) {
				return false
			}
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
