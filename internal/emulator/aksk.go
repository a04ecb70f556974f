package emulator

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// AK/SK verification as the API gateway in front of CodeArts Check does it
// (SDK-HMAC-SHA256, FACTS.md section 2). This is written separately from
// diagctl's signer (internal/api/logs/aksk) on purpose, with its own
// parsing and escaping: a verifier that called the signer would accept
// whatever the signer got wrong. Its tests pin it to hand-computed vectors.
//
// Rejections are 401 {"error_code":"APIGW.0301","error_msg":"Incorrect IAM
// authentication information: ..."}: the code and the "ak ... not exist"
// text are seen from the real gateway; the other texts are unconfirmed.

const (
	akskAlgorithm = "SDK-HMAC-SHA256"
	akskMaxSkew   = 15 * time.Minute
	apigwAuthCode = "APIGW.0301"
	apigwAuthMsg  = "Incorrect IAM authentication information: "
)

type akskAuth struct {
	access, signature string
	signed            []string
}

// parseAKSK reads "SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex".
func parseAKSK(v string) (akskAuth, bool) {
	rest, ok := strings.CutPrefix(v, akskAlgorithm+" ")
	if !ok {
		return akskAuth{}, false
	}
	var a akskAuth
	for _, field := range strings.Split(rest, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(field), "=")
		if !ok {
			return akskAuth{}, false
		}
		switch name {
		case "Access":
			a.access = val
		case "SignedHeaders":
			a.signed = strings.Split(val, ";")
		case "Signature":
			a.signature = val
		}
	}
	return a, a.access != "" && a.signature != "" && len(a.signed) > 0
}

// verifyAKSK checks a signed request; on failure it writes the gateway's
// answer and returns false.
func (e *Emulator) verifyAKSK(w http.ResponseWriter, r *http.Request, reqID string) bool {
	fail := func(why string) bool {
		gatewayErr(w, http.StatusUnauthorized, apigwAuthCode, apigwAuthMsg+why, reqID)
		return false
	}
	a, ok := parseAKSK(r.Header.Get("Authorization"))
	if !ok {
		return fail("the Authorization header is not SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...")
	}
	if a.access != LogsAccessKey {
		return fail("ak " + a.access + " not exist")
	}
	has := map[string]bool{}
	for _, h := range a.signed {
		has[h] = true
	}
	if !has["host"] || !has["x-sdk-date"] {
		return fail("host and x-sdk-date must be among the SignedHeaders")
	}
	for _, h := range a.signed {
		if h != "host" && len(r.Header.Values(h)) == 0 {
			return fail("signed header " + h + " is not in the request")
		}
	}
	date, err := time.Parse("20060102T150405Z", r.Header.Get("X-Sdk-Date"))
	if err != nil {
		return fail("X-Sdk-Date is missing or not like 20060102T150405Z")
	}
	if skew := e.now().Sub(date); skew > akskMaxSkew || skew < -akskMaxSkew {
		return fail(fmt.Sprintf("the request time (X-Sdk-Date %s) is more than 15 minutes from the gateway's", r.Header.Get("X-Sdk-Date")))
	}
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	want := akskSignature(r, a.signed, body, LogsSecretKey)
	if !hmac.Equal([]byte(strings.ToLower(a.signature)), []byte(want)) {
		return fail("verify aksk signature fail")
	}
	return true
}

// akskSignature recomputes the signature of r over the headers the client
// listed, in the order it listed them (a client that lists them unsorted
// signed them unsorted, and the gateway follows the list).
func akskSignature(r *http.Request, signed []string, body []byte, sk string) string {
	var cr strings.Builder
	cr.WriteString(r.Method + "\n")
	cr.WriteString(akskPath(r.URL) + "\n")
	cr.WriteString(akskQuery(r.URL.RawQuery) + "\n")
	for _, h := range signed {
		var vals []string
		if h == "host" {
			vals = []string{r.Host}
		} else {
			vals = append(vals, r.Header.Values(h)...)
			sort.Strings(vals)
		}
		for _, v := range vals {
			cr.WriteString(h + ":" + strings.TrimSpace(v) + "\n")
		}
	}
	cr.WriteString("\n" + strings.Join(signed, ";") + "\n")
	bodySum := sha256.Sum256(body)
	cr.WriteString(hex.EncodeToString(bodySum[:]))

	crSum := sha256.Sum256([]byte(cr.String()))
	toSign := akskAlgorithm + "\n" + r.Header.Get("X-Sdk-Date") + "\n" + hex.EncodeToString(crSum[:])
	mac := hmac.New(sha256.New, []byte(sk))
	mac.Write([]byte(toSign))
	return hex.EncodeToString(mac.Sum(nil))
}

// akskEscape writes each byte outside A-Za-z0-9 and -_.~ as %XX.
func akskEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if strings.IndexByte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// akskPath: the raw path's segments, each decoded and re-escaped, and a
// "/" at the end.
func akskPath(u *url.URL) string {
	var out []string
	for _, seg := range strings.Split(u.EscapedPath(), "/") {
		dec, err := url.PathUnescape(seg)
		if err != nil {
			dec = seg
		}
		out = append(out, akskEscape(dec))
	}
	p := strings.Join(out, "/")
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// akskQuery: k=v pairs decoded ("+" is a space), sorted by key then value,
// re-escaped and joined by "&".
func akskQuery(raw string) string {
	type kv struct{ k, v string }
	var pairs []kv
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		k, _ = url.QueryUnescape(k)
		v, _ = url.QueryUnescape(v)
		pairs = append(pairs, kv{k, v})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	s := make([]string, len(pairs))
	for i, p := range pairs {
		s[i] = akskEscape(p.k) + "=" + akskEscape(p.v)
	}
	return strings.Join(s, "&")
}
