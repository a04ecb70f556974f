package symbols

import (
	"net/url"
	"strings"
)

// DefaultAPIVersion is what the vendor page names; PreviewVersion is the
// one fallback when the service asks for "-preview".
const DefaultAPIVersion = "7.1"

// DefaultBaseURL is the symbol service's public endpoint.
const DefaultBaseURL = "https://artifacts.dev.azure.com"

// PreviewVersion returns v with "-preview.1" added ("7.1" gives
// "7.1-preview.1"); a version that already names a preview is unchanged.
func PreviewVersion(v string) string {
	if strings.Contains(v, "-preview") {
		return v
	}
	return v + "-preview.1"
}

// The paths below are relative to the service URL and already escaped:
// join them to the base URL's path and use them as url.URL.RawPath (or
// pass them through url.Parse) so the escapes survive.

// RequestsPath is {org}/_apis/symbol/requests (POST creates a request).
func RequestsPath(org string) string {
	return url.PathEscape(org) + "/_apis/symbol/requests"
}

// RequestPath is {org}/_apis/symbol/requests/{id} (GET shows it, PATCH
// seals it, POST with EntriesQuery adds entries).
func RequestPath(org, requestID string) string {
	return RequestsPath(org) + "/" + url.PathEscape(requestID)
}

// EntriesQuery is the query string of the entries POST.
func EntriesQuery(apiVersion string) string {
	return url.Values{"collection": {"debugentries"}, "api-version": {apiVersion}}.Encode()
}

// VersionQuery is the query string of the other symbol calls.
func VersionQuery(apiVersion string) string {
	return url.Values{"api-version": {apiVersion}}.Encode()
}

// SymsrvPath is {org}/_apis/symbol/symsrv/{clientKey}: the key's three
// parts stay separate path segments, each escaped.
func SymsrvPath(org, clientKey string) string {
	parts := strings.Split(clientKey, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return url.PathEscape(org) + "/_apis/symbol/symsrv/" + strings.Join(parts, "/")
}
