package emulator

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// GET /{org}/_apis/symbol/symsrv/{clientKey}: what a debugger asks. A key
// (compared without regard to case) with an entry whose status is
// "created", in any request, sealed or not, answers 302 to a signed blob
// URL (the newest such entry's); any other key answers 404. No
// api-version is needed: debuggers send none.

func (e *Emulator) serveSymsrv(w http.ResponseWriter, r *http.Request, _ string, rest []string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		methodNotAllowed(w, r, "GET, HEAD")
		return
	}
	key := strings.Join(rest, "/")
	var found *DebugEntry
	e.mu.Lock()
	for _, req := range e.symbolState().requests {
		for _, d := range req.entries {
			if d.Status == "created" && strings.EqualFold(d.ClientKey, key) && (found == nil || d.CreatedDate > found.CreatedDate) {
				c := *d
				found = &c
			}
		}
	}
	e.mu.Unlock()
	if found == nil {
		// The type key is the emulator's guess: clients match on 404.
		azureErr(w, http.StatusNotFound, symbolWebAPI, "DebugEntryNotFoundException",
			"No debug entry with client key '"+key+"' was found.")
		return
	}
	w.Header().Set("Location", blobURL(baseURL(r), found.BlobIdentifier.IdentifierValue, time.Now().UTC()))
	w.WriteHeader(http.StatusFound)
}

// blobURL is a blob's URL on the emulator, signed the way an Azure Storage
// SAS URL is (sv, se, sr, sp, sig) so that clients can be tested for not
// printing the signature. Nothing is served there.
func blobURL(base, blob string, now time.Time) string {
	raw, _ := base64.StdEncoding.DecodeString(blob)
	name := strings.ToUpper(hex.EncodeToString(raw))
	expiry := now.Add(time.Hour).Format("2006-01-02T15:04:05Z")
	sig := sha256.Sum256([]byte("emulator sas " + name + expiry))
	q := "sv=2019-07-07&se=" + url.QueryEscape(expiry) + "&sr=b&sp=r&sig=" + url.QueryEscape(base64.StdEncoding.EncodeToString(sig[:]))
	return base + "/_emulator/blobs/" + name + ".blob?" + q
}
