package aksk

import "strings"

// Redacted replaces secrets in traces, as the shared HTTP layer writes it.
const Redacted = "[redacted]"

// SecretHeaders are the headers a signed request carries that must never
// be traced in clear (Authorization is redacted by RedactAuthorization).
var SecretHeaders = []string{SecurityTokenHeader}

// RedactAuthorization returns an SDK-HMAC-SHA256 Authorization value with
// only its Signature redacted:
//
//	SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=host;x-sdk-date, Signature=[redacted]
//
// The access key and the signed headers stay, since they are what a
// person debugging a 401 needs (a signature is a one-time value, but
// replaying it within the gateway's 15 minutes would work, so it goes).
// ok is false when v is not an SDK-HMAC-SHA256 value: the caller should
// then redact it its own way (e.g. wholly).
func RedactAuthorization(v string) (redacted string, ok bool) {
	rest, found := strings.CutPrefix(v, Algorithm+" ")
	if !found {
		return "", false
	}
	parts := strings.Split(rest, ",")
	seen := false
	for i, p := range parts {
		name, _, hasEq := strings.Cut(strings.TrimSpace(p), "=")
		if !hasEq {
			// Not the scheme's shape: do not guess which part is secret.
			return "", false
		}
		if strings.EqualFold(name, "Signature") {
			lead := p[:len(p)-len(strings.TrimLeft(p, " "))]
			parts[i] = lead + name + "=" + Redacted
			seen = true
		}
	}
	if !seen {
		return "", false
	}
	return Algorithm + " " + strings.Join(parts, ","), true
}
