package emulator

import (
	"net/http"
	"regexp"
	"strings"
	"sync"
)

// Azure DevOps versions every REST call: api-version "major.minor", with
// "-preview" (and an optional revision) for resources still in preview.

// latestAPIVersion is the newest api-version the emulated server knows.
const latestAPIVersion = "7.2"

// apiVersionRE is compiled on first use, not at start-up.
var apiVersionRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(\d+)\.(\d+)(-preview(\.\d+)?)?$`)
})

// checkAPIVersion applies Azure's api-version rules: it must be given (in
// the query or the Accept header), well-formed, not newer than the server,
// and carry "-preview" when the resource is in preview (Options.RequirePreview,
// or preview for a fixture of its own).
func (e *Emulator) checkAPIVersion(w http.ResponseWriter, r *http.Request, preview bool) bool {
	v := r.URL.Query().Get("api-version")
	if v == "" {
		for _, p := range strings.Split(r.Header.Get("Accept"), ";") {
			if k, val, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(k, "api-version") {
				v = strings.TrimSpace(val)
			}
		}
	}
	if v == "" {
		azureErr(w, http.StatusBadRequest, vssWebAPI, "VssVersionNotSpecifiedException",
			`No api-version was supplied for the "`+r.Method+`" request. The version must be supplied either as part of the Accept header (e.g. "application/json; api-version=1.0") or as a query parameter (e.g. '?api-version=1.0').`)
		return false
	}
	m := apiVersionRE().FindStringSubmatch(v)
	if m == nil {
		azureErr(w, http.StatusBadRequest, vssWebAPI, "VssInvalidApiVersionException",
			`The api-version "`+v+`" is not valid. Use a version such as "7.1" or "7.1-preview.1".`)
		return false
	}
	if num := m[1] + "." + m[2]; versionAfter(num, latestAPIVersion) {
		azureErr(w, http.StatusBadRequest, vssWebAPI, "VssVersionOutOfRangeException",
			"The requested REST API version of "+num+" is out of range for this server. The latest REST API version this server supports is "+latestAPIVersion+".")
		return false
	}
	if (e.opts.RequirePreview || preview) && m[3] == "" {
		azureErr(w, http.StatusBadRequest, vssWebAPI, "VssInvalidPreviewVersionException",
			`The requested version "`+v+`" of the resource is under preview. The -preview flag must be supplied in the api-version for such requests. For example: "`+v+`-preview"`)
		return false
	}
	return true
}

// versionAfter compares "major.minor" numerically.
func versionAfter(a, b string) bool {
	am, an, _ := strings.Cut(a, ".")
	bm, bn, _ := strings.Cut(b, ".")
	num := func(s string) int {
		n := 0
		for _, c := range s {
			n = n*10 + int(c-'0')
			if n > 1<<20 {
				return 1 << 20
			}
		}
		return n
	}
	if num(am) != num(bm) {
		return num(am) > num(bm)
	}
	return num(an) > num(bn)
}
