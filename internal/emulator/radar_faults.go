package emulator

import (
	"net/http"
	"strconv"
	"time"
)

// Per-run Radar fault modes (Options.RadarFault), applied to every
// report_tasks create and update that passes the request checks and whose
// report id (create) or task id (update) has no fault of its own. The
// names match the archive modes where the behaviour does.
const (
	RadarFault503   = "503"   // 503 + Retry-After: 1 on 2 of every 3 requests per id; nothing done then
	RadarFault429   = "429"   // 429 + Retry-After: 2 on 2 of every 3 requests per id; nothing done then
	RadarFaultDrop  = "drop"  // the request is carried out, then the connection is closed unanswered
	RadarFaultSlow  = "slow"  // the request is carried out, the answer comes after RadarSlowDelay
	RadarFaultStall = "stall" // the request is carried out, then nothing is sent
)

// RadarFaultModes lists the valid Options.RadarFault values.
var RadarFaultModes = []string{FaultNone, RadarFault503, RadarFault429, RadarFaultDrop, RadarFaultSlow, RadarFaultStall}

// ValidRadarFault reports whether s is a Radar fault mode.
func ValidRadarFault(s string) bool {
	for _, m := range RadarFaultModes {
		if s == m {
			return true
		}
	}
	return false
}

// RadarSlowDelay is how long a slow Radar answer takes.
const RadarSlowDelay = time.Second

// Retry-After values of the two refusals, in seconds: short, so tests that
// honour them stay fast, and different, so a test can tell which it saw.
const (
	RadarRetryAfter503 = 1
	RadarRetryAfter429 = 2
)

// radarFault is how one Radar request misbehaves.
type radarFault int

const (
	radarNone radarFault = iota
	radarServerError
	radar503
	radar429
	radarDrop
	radarSlow
	radarStall
)

var radarModeFaults = map[string]radarFault{
	RadarFault503: radar503, RadarFault429: radar429, RadarFaultDrop: radarDrop,
	RadarFaultSlow: radarSlow, RadarFaultStall: radarStall,
}

// radarLookup finds id among fixtures.
func radarLookup(fixtures []radarFixture, id string) (radarFault, bool) {
	for _, f := range fixtures {
		if f.id == id {
			return f.fault, true
		}
	}
	return radarNone, false
}

// radarFaultFor is the fault of one request for id: the id's own, else
// the per-run mode.
func (e *Emulator) radarFaultFor(fixtures []radarFixture, id string) radarFault {
	if f, _ := radarLookup(fixtures, id); f != radarNone {
		return f
	}
	return radarModeFaults[e.opts.RadarFault]
}

// refuse answers the faults that come instead of doing the work: 500,
// and 503 or 429 on 2 of every 3 requests per key. It reports whether it
// answered.
func (e *Emulator) refuse(w http.ResponseWriter, f radarFault, key string) bool {
	switch f {
	case radarServerError:
		radarErr(w, http.StatusInternalServerError, "Internal Server Error")
		return true
	case radar503, radar429:
		if e.next("radar "+key)%3 == 0 {
			return false // every third request gets through
		}
		status, after := http.StatusServiceUnavailable, RadarRetryAfter503
		if f == radar429 {
			status, after = http.StatusTooManyRequests, RadarRetryAfter429
		}
		w.Header().Set("Retry-After", strconv.Itoa(after))
		radarErr(w, status, http.StatusText(status))
		return true
	}
	return false
}

// deliver sends the answer to work already done, as the fault allows:
// not at all (drop, stall), late (slow) or at once.
func deliver(w http.ResponseWriter, r *http.Request, f radarFault, status int, body any) {
	switch f {
	case radarDrop:
		// The work is done but the answer never arrives: the case where a
		// client must not blindly retry a POST.
		dropConn(http.NewResponseController(w))
		return
	case radarStall:
		// Until the client gives up or the server shuts down (Server
		// cancels every request's context on Close). Returning alone would
		// let net/http send an empty 200, so the connection is closed.
		<-r.Context().Done()
		dropConn(http.NewResponseController(w))
		return
	case radarSlow:
		t := time.NewTimer(RadarSlowDelay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			dropConn(http.NewResponseController(w))
			return
		}
	}
	writeJSON(w, status, radarJSON, body)
}
