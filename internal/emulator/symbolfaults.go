package emulator

import (
	"net/http"
	"strconv"
)

// Faults of the entries POST, tied to fixture request ids (the way the
// archive faults are tied to task ids), so that clients can test their
// retry decisions against one shared emulator:
//
//   - SymbolRequest429: odd-numbered POSTs answer 429 with Retry-After and
//     store nothing; a client may always resend.
//   - SymbolRequestDrop: odd-numbered POSTs store the batch, then the
//     connection is closed without an answer; the client cannot know the
//     outcome, and only a resend with skipIfExists or overwriteIfExists is
//     safe (with throwIfExists it would get 409 for its own entries).
//
// The counters are per request id and live as long as the emulator.

// symbolRetryAfter is the Retry-After of the 429, in seconds.
const symbolRetryAfter = 1

// postEntries runs the entries POST with the fixture's fault, if any.
func (e *Emulator) postEntries(w http.ResponseWriter, r *http.Request, org, id string) {
	switch id {
	case SymbolRequest429:
		if e.next("symbols 429 "+id)%2 == 1 {
			h := w.Header()
			h.Set("Retry-After", strconv.Itoa(symbolRetryAfter))
			h.Set("X-RateLimit-Resource", "ArtifactsSymbols")
			h.Set("X-RateLimit-Delay", "1.000")
			azureErr(w, http.StatusTooManyRequests, vssWebAPI, "RequestBlockedException",
				"TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource 'ArtifactsSymbols' in namespace 'User'.")
			return
		}
	case SymbolRequestDrop:
		if e.next("symbols drop "+id)%2 == 1 {
			if _, ok := e.createEntries(w, r, org, id); ok {
				dropConn(http.NewResponseController(w))
			}
			return
		}
	}
	if out, ok := e.createEntries(w, r, org, id); ok {
		writeEntries(w, out)
	}
}
