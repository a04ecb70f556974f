package emulator

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/google/uuid"
)

// Huawei Cloud CodeArts Check:
//
//	GET /v1/log-file?sub_job_id=<32 characters>    (X-Auth-Token: <IAM token>)
//
// Errors are JSON {"error_code": str, "error_msg": str}; the API gateway in
// front adds "request_id". The service is known to answer some errors with
// status 200 (SubJob200Error, SubJobBusy).

type logsError struct {
	Code      string `json:"error_code"`
	Message   string `json:"error_msg"`
	RequestID string `json:"request_id,omitempty"`
}

const logsJSON = "application/json;charset=UTF-8"

// Error texts the emulator sends; the first three are the vendor's words.
const (
	logsParamMsg    = "Verify request parameter failed. Check whether the request parameters are correct."
	logsExpiredMsg  = "Authentication information expired."
	logsBusyMsg     = "Please try again later."
	logsNetBusyMsg  = "Network busy. Please try again later."
	logsNotFoundMsg = "The sub job does not exist or its logs have expired. Check whether the sub_job_id is correct."
	logs200ErrMsg   = "Failed to download the log file: the log file of this sub job has been cleared."
)

func logsErr(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, logsJSON, logsError{Code: code, Message: msg})
}

// gatewayErr is an error from the API gateway, which carries a request id.
func gatewayErr(w http.ResponseWriter, status int, code, msg, reqID string) {
	writeJSON(w, status, logsJSON, logsError{Code: code, Message: msg, RequestID: reqID})
}

func (e *Emulator) serveLogs(w http.ResponseWriter, r *http.Request) {
	reqID := strings.ReplaceAll(uuid.NewString(), "-", "")
	w.Header().Set("X-Request-Id", reqID)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		// The gateway knows the API only for GET.
		gatewayErr(w, http.StatusNotFound, "APIGW.0101", "The API does not exist or has not been published in the environment", reqID)
		return
	}
	token := r.Header.Get("X-Auth-Token")
	switch {
	case token == "" && strings.HasPrefix(r.Header.Get("Authorization"), akskAlgorithm+" "):
		if !e.verifyAKSK(w, r, reqID) {
			return
		}
	case token == "":
		gatewayErr(w, http.StatusUnauthorized, "APIGW.0301", "Incorrect IAM authentication information: x-auth-token not found", reqID)
		return
	case token == LogsExpiredToken || e.issuedToken(token) == tokenExpired:
		logsErr(w, http.StatusUnauthorized, "CC.00000003", logsExpiredMsg)
		return
	case e.issuedToken(token) == tokenValid:
		// issued by the IAM endpoint and not expired
	case subtle.ConstantTimeCompare([]byte(token), []byte(e.opts.LogsToken)) != 1:
		gatewayErr(w, http.StatusUnauthorized, "APIGW.0301", "Incorrect IAM authentication information: decrypt token fail", reqID)
		return
	}
	id := r.URL.Query().Get("sub_job_id")
	if !isSubJobID(id) {
		logsErr(w, http.StatusBadRequest, "CC.00000001.400", logsParamMsg)
		return
	}
	key := "logs/" + id
	k := lookup(logsFixtures, id)
	switch k {
	case kindUnknown:
		logsErr(w, http.StatusBadRequest, "CC.00000001.400", logsNotFoundMsg)
		return
	case kind200Error:
		logsErr(w, http.StatusOK, "CC.00050001", logs200ErrMsg)
		return
	case kindBusy:
		if e.next(key)%3 != 0 {
			logsErr(w, http.StatusOK, "CC.00050012", logsBusyMsg)
			return
		}
		k = kindOK
	case kindNetBusy:
		if e.next(key)%2 == 1 {
			logsErr(w, http.StatusInternalServerError, "CC.00000000", logsNetBusyMsg)
			return
		}
		k = kindOK
	}

	p, unavailable := e.faultFor(key, k, r)
	if unavailable {
		w.Header().Set("Retry-After", "1")
		logsErr(w, http.StatusServiceUnavailable, "CC.00000000", "Service unavailable. Please try again later.")
		return
	}
	filename := "logs_" + id + ".zip"
	if k == kindBig {
		serveArchive(w, r, e.bigArchive(filename), p)
		return
	}
	a := e.archive(key, func() *archive {
		ctype := "application/octet-stream"
		name := filename
		switch {
		case id == SubJobOK:
			ctype = "application/zip"
		case id == SubJobOK3:
			name = "" // the client must fall back to its own name
		case k == kindEvilName:
			name = "../../etc/evil.zip"
		}
		a := newArchive(fixtureZip("logs", id, k), ctype, name)
		a.ranges = k != kindDropNoRange
		return a
	})
	serveArchive(w, r, a, p)
}

// isSubJobID: 32 characters of [0-9A-Za-z], as diagctl validates them.
func isSubJobID(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}
