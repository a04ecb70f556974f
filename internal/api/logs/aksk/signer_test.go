package aksk

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// The vectors below were worked out by hand from the algorithm in
// FACTS.md section 2, not with this package: each canonical request was
// written out with printf, then hashed and signed in the shell:
//
//	sha256sum c1                             -> the hash in the string to sign
//	printf 'SDK-HMAC-SHA256\n<date>\n<hash>' > s1
//	openssl dgst -sha256 -hmac "$SK" s1      -> the signature
//	printf '{"a":1}' | sha256sum             -> the body hash of case 4
//
// Each intermediate string is kept here so a mismatch shows which step
// went wrong.

// The emulator's fixture keys (internal/emulator: LogsAccessKey,
// LogsSecretKey); its test signs with the same vector by hand.
const (
	emuAK = "EMUAK7Q2X4M9K1V8B3N5"
	emuSK = "emuSK0p9o8i7u6y5t4r3e2w1q0a9s8d7f6g5h4j3"

	exAK = "HPUAEXAMPLEAK0000001"
	exSK = "exampleSecretKey/with+chars=0000000000"
)

var vectors = []struct {
	name      string
	method    string
	url       string
	host      string // Request.Host; "" for URL's
	bodyHash  string
	keys      Keys
	time      time.Time
	canonical string
	toSign    string
	signature string
	auth      string
}{
	{
		name:   "empty body GET (emulator keys)",
		method: "GET",
		url:    "http://127.0.0.1:8080/v1/log-file?sub_job_id=a777ff00d3cf4d369d87066806ae0001",
		keys:   Keys{AccessKey: emuAK, SecretKey: emuSK},
		time:   time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC),
		canonical: "GET\n" +
			"/v1/log-file/\n" +
			"sub_job_id=a777ff00d3cf4d369d87066806ae0001\n" +
			"host:127.0.0.1:8080\n" +
			"x-sdk-date:20240506T070809Z\n" +
			"\n" +
			"host;x-sdk-date\n" +
			"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		toSign: "SDK-HMAC-SHA256\n" +
			"20240506T070809Z\n" +
			"9b623e98e04b12ec77127d7aeac8ea7f90b2bb3cd15445d09b8d5f743f1eb982",
		signature: "854906719af802cd8c406b381568ca58461082680fe17ccfdaa5d72b8c10ad87",
		auth:      "SDK-HMAC-SHA256 Access=EMUAK7Q2X4M9K1V8B3N5, SignedHeaders=host;x-sdk-date, Signature=854906719af802cd8c406b381568ca58461082680fe17ccfdaa5d72b8c10ad87",
	},
	{
		// space, UTF-8, "+", an escaped "/" inside a segment, the four
		// unreserved marks, and sub-delimiters that must be escaped.
		name:   "path with characters to escape",
		method: "GET",
		url:    "https://codearts-check.cn-north-4.myhuaweicloud.com/v1/dir%20one/caf%C3%A9/a+b/x%2Fy/~u_v.w-/k:v@(1)!*",
		keys:   Keys{AccessKey: exAK, SecretKey: exSK},
		time:   time.Date(2024, 5, 6, 9, 8, 9, 0, time.FixedZone("UTC+2", 2*3600)), // 07:08:09 UTC
		canonical: "GET\n" +
			"/v1/dir%20one/caf%C3%A9/a%2Bb/x%2Fy/~u_v.w-/k%3Av%40%281%29%21%2A/\n" +
			"\n" +
			"host:codearts-check.cn-north-4.myhuaweicloud.com\n" +
			"x-sdk-date:20240506T070809Z\n" +
			"\n" +
			"host;x-sdk-date\n" +
			"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		toSign: "SDK-HMAC-SHA256\n" +
			"20240506T070809Z\n" +
			"3055b4d1dad1bc206c85d37586f4e91348a52722210446297113e54b401d1031",
		signature: "bca38b432775b56150eeeed6adecaccc01d9bfedac2848de265f2efac4866711",
		auth:      "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000001, SignedHeaders=host;x-sdk-date, Signature=bca38b432775b56150eeeed6adecaccc01d9bfedac2848de265f2efac4866711",
	},
	{
		// keys sorted byte-wise ("A" before "a"), a repeated key's values
		// sorted, "+" read as a space and written %20, a bare key, an
		// escaped key.
		name:   "query with repeated keys",
		method: "GET",
		url:    "https://codearts-check.cn-north-4.myhuaweicloud.com/v1/log-file?sub_job_id=b&a=z&a=y&c&a=x+y&k%2A=v%2F1&A=upper",
		keys:   Keys{AccessKey: exAK, SecretKey: exSK},
		time:   time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC),
		canonical: "GET\n" +
			"/v1/log-file/\n" +
			"A=upper&a=x%20y&a=y&a=z&c=&k%2A=v%2F1&sub_job_id=b\n" +
			"host:codearts-check.cn-north-4.myhuaweicloud.com\n" +
			"x-sdk-date:20240506T070809Z\n" +
			"\n" +
			"host;x-sdk-date\n" +
			"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		toSign: "SDK-HMAC-SHA256\n" +
			"20240506T070809Z\n" +
			"181a6863e03246cf63e48dc9a495e64808ec0aadc1f823d4ab2551971354a4c0",
		signature: "d5d524930d8ab34e2f30fad24e0338ccaec1d597241665874b7e5613e5857cfe",
		auth:      "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000001, SignedHeaders=host;x-sdk-date, Signature=d5d524930d8ab34e2f30fad24e0338ccaec1d597241665874b7e5613e5857cfe",
	},
	{
		// a body, a path that already ends in "/", a Host with a port that
		// differs from the URL's, project and temporary credentials.
		name:     "POST with body, project id and security token",
		method:   "post",
		url:      "https://10.0.0.1/v3/things/?x=1",
		host:     "iam.example.com:8443",
		bodyHash: "015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862",
		keys:     Keys{AccessKey: exAK, SecretKey: exSK, ProjectID: "0123456789abcdef0123456789abcdef", SecurityToken: "gQpzZXRva2VuLXRlc3Q"},
		time:     time.Date(2099, 12, 31, 23, 59, 59, 0, time.UTC),
		canonical: "POST\n" +
			"/v3/things/\n" +
			"x=1\n" +
			"host:iam.example.com:8443\n" +
			"x-project-id:0123456789abcdef0123456789abcdef\n" +
			"x-sdk-date:20991231T235959Z\n" +
			"x-security-token:gQpzZXRva2VuLXRlc3Q\n" +
			"\n" +
			"host;x-project-id;x-sdk-date;x-security-token\n" +
			"015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862",
		toSign: "SDK-HMAC-SHA256\n" +
			"20991231T235959Z\n" +
			"b94e1f5e059285e5be58c65e4bb34ef8bf56e7a2b71fe78950839a14c7f35b4f",
		signature: "c45f1ed422dd8c3beed9c785b9fc31bceb0fd68e24dcbb93a3317e543722bc95",
		auth:      "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000001, SignedHeaders=host;x-project-id;x-sdk-date;x-security-token, Signature=c45f1ed422dd8c3beed9c785b9fc31bceb0fd68e24dcbb93a3317e543722bc95",
	},
}

func TestSignVectors(t *testing.T) {
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			u, err := url.Parse(v.url)
			if err != nil {
				t.Fatal(err)
			}
			s, err := Sign(Request{Method: v.method, URL: u, Host: v.host, BodySHA256: v.bodyHash}, v.keys, v.time)
			if err != nil {
				t.Fatal(err)
			}
			if s.CanonicalRequest != v.canonical {
				t.Errorf("canonical request:\n%q\nwant\n%q", s.CanonicalRequest, v.canonical)
			}
			if s.StringToSign != v.toSign {
				t.Errorf("string to sign:\n%q\nwant\n%q", s.StringToSign, v.toSign)
			}
			if s.Signature != v.signature {
				t.Errorf("signature %s, want %s", s.Signature, v.signature)
			}
			if s.Authorization != v.auth || s.Header.Get("Authorization") != v.auth {
				t.Errorf("Authorization %q, want %q", s.Authorization, v.auth)
			}
			if got, want := s.Header.Get(DateHeader), v.time.UTC().Format(DateFormat); got != want {
				t.Errorf("X-Sdk-Date %q, want %q", got, want)
			}
			if got := s.Header.Get(ProjectHeader); got != v.keys.ProjectID {
				t.Errorf("X-Project-Id %q, want %q", got, v.keys.ProjectID)
			}
			if got := s.Header.Get(SecurityTokenHeader); got != v.keys.SecurityToken {
				t.Errorf("X-Security-Token %q, want %q", got, v.keys.SecurityToken)
			}
			if strings.Contains(s.Authorization+s.CanonicalRequest+s.StringToSign, v.keys.SecretKey) {
				t.Error("the secret key appears in the output")
			}
		})
	}
}

// SignRequest puts the same headers on an *http.Request, the URL sent
// unchanged (no trailing slash added to the real path).
func TestSignRequest(t *testing.T) {
	v := vectors[0]
	req, err := http.NewRequest(http.MethodGet, v.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := SignRequest(req, "", v.keys, v.time); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get("Authorization"); got != v.auth {
		t.Errorf("Authorization %q, want %q", got, v.auth)
	}
	if got := req.Header.Get("X-Sdk-Date"); got != "20240506T070809Z" {
		t.Errorf("X-Sdk-Date %q", got)
	}
	if req.URL.Path != "/v1/log-file" {
		t.Errorf("the request path changed to %q", req.URL.Path)
	}
	if req.Header.Get(ProjectHeader) != "" || req.Header.Get(SecurityTokenHeader) != "" {
		t.Error("optional credential headers set without keys for them")
	}
	// The body hash given is the one signed: an empty-body hash spelled
	// out is the same as none.
	req2, _ := http.NewRequest(http.MethodGet, v.url, nil)
	if err := SignRequest(req2, HashBody(nil), v.keys, v.time); err != nil {
		t.Fatal(err)
	}
	if req2.Header.Get("Authorization") != v.auth {
		t.Error("HashBody(nil) signs differently from an empty body")
	}
}

func TestHashBody(t *testing.T) {
	// printf '{"a":1}' | sha256sum
	if got := HashBody([]byte(`{"a":1}`)); got != "015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862" {
		t.Errorf("HashBody = %s", got)
	}
	if HashBody(nil) != EmptyBodySHA256 {
		t.Error("EmptyBodySHA256 is not the hash of nothing")
	}
}

// Each input that takes part in the signature changes it.
func TestSignCoversEveryInput(t *testing.T) {
	u, _ := url.Parse(vectors[0].url)
	base := Request{Method: "GET", URL: u}
	t0 := vectors[0].time
	ref, err := Sign(base, vectors[0].keys, t0)
	if err != nil {
		t.Fatal(err)
	}
	other := func(s string) *url.URL { x, _ := url.Parse(s); return x }
	cases := map[string]func() (Signature, error){
		"method": func() (Signature, error) { r := base; r.Method = "HEAD"; return Sign(r, vectors[0].keys, t0) },
		"path": func() (Signature, error) {
			r := base
			r.URL = other("http://127.0.0.1:8080/v1/log-files?sub_job_id=a777ff00d3cf4d369d87066806ae0001")
			return Sign(r, vectors[0].keys, t0)
		},
		"query": func() (Signature, error) {
			r := base
			r.URL = other("http://127.0.0.1:8080/v1/log-file?sub_job_id=a777ff00d3cf4d369d87066806ae0002")
			return Sign(r, vectors[0].keys, t0)
		},
		"host": func() (Signature, error) { r := base; r.Host = "127.0.0.1:8081"; return Sign(r, vectors[0].keys, t0) },
		"body": func() (Signature, error) {
			r := base
			r.BodySHA256 = HashBody([]byte("x"))
			return Sign(r, vectors[0].keys, t0)
		},
		"time": func() (Signature, error) { return Sign(base, vectors[0].keys, t0.Add(time.Second)) },
		"sk":   func() (Signature, error) { return Sign(base, Keys{AccessKey: emuAK, SecretKey: emuSK + "x"}, t0) },
	}
	for name, f := range cases {
		s, err := f()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if s.Signature == ref.Signature {
			t.Errorf("changing the %s leaves the signature unchanged", name)
		}
	}
}

func TestSignRefuses(t *testing.T) {
	u, _ := url.Parse("https://h/p")
	now := time.Unix(0, 0)
	if _, err := Sign(Request{URL: u}, Keys{AccessKey: "ak"}, now); err == nil {
		t.Error("signed without a secret key")
	}
	if _, err := Sign(Request{URL: u}, Keys{SecretKey: "sk"}, now); err == nil {
		t.Error("signed without an access key")
	}
	if _, err := Sign(Request{}, Keys{AccessKey: "ak", SecretKey: "sk"}, now); err == nil {
		t.Error("signed without a URL")
	}
	bad := &url.URL{Scheme: "https", Host: "h", Path: "/p", RawQuery: "a=%zz"}
	if _, err := Sign(Request{URL: bad}, Keys{AccessKey: "ak", SecretKey: "sk"}, now); err == nil {
		t.Error("signed a query it cannot read")
	}
	if _, err := Sign(Request{URL: &url.URL{Path: "/p"}}, Keys{AccessKey: "ak", SecretKey: "sk"}, now); err == nil {
		t.Error("signed without a host")
	}
}

func TestCanonicalURIEdges(t *testing.T) {
	for raw, want := range map[string]string{
		"https://h":        "/",
		"https://h/":       "/",
		"https://h/a//b":   "/a//b/",
		"https://h/%7Ex":   "/~x/",
		"https://h/a%2fb/": "/a%2Fb/",
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := CanonicalURI(u); got != want {
			t.Errorf("CanonicalURI(%s) = %q, want %q", raw, got, want)
		}
	}
}

func TestRedactAuthorization(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{vectors[0].auth, "SDK-HMAC-SHA256 Access=EMUAK7Q2X4M9K1V8B3N5, SignedHeaders=host;x-sdk-date, Signature=[redacted]", true},
		{vectors[3].auth, "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000001, SignedHeaders=host;x-project-id;x-sdk-date;x-security-token, Signature=[redacted]", true},
		// Any order, any spacing the gateway might accept.
		{"SDK-HMAC-SHA256 Signature=abc,Access=AK,SignedHeaders=host", "SDK-HMAC-SHA256 Signature=[redacted],Access=AK,SignedHeaders=host", true},
		{"Basic dXNlcjpwYXNz", "", false},
		{"SDK-HMAC-SHA256 garbage-with-no-fields", "", false},
		{"SDK-HMAC-SHA256 Access=AK, SignedHeaders=host", "", false}, // no Signature: not ours to judge
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := RedactAuthorization(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("RedactAuthorization(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
		if ok && strings.Contains(got, vectors[0].signature) {
			t.Errorf("signature survives in %q", got)
		}
	}
}

// The redaction never lets a signature through, whatever the value.
func FuzzRedactAuthorization(f *testing.F) {
	for _, v := range vectors {
		f.Add(v.auth)
	}
	f.Add("SDK-HMAC-SHA256 Signature=a, Signature=b")
	f.Fuzz(func(t *testing.T, v string) {
		got, ok := RedactAuthorization(v)
		if !ok {
			if got != "" {
				t.Fatalf("not ok but returned %q", got)
			}
			return
		}
		if !strings.HasPrefix(got, Algorithm+" ") {
			t.Fatalf("lost the scheme: %q", got)
		}
		for _, p := range strings.Split(strings.TrimPrefix(got, Algorithm+" "), ",") {
			name, val, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(name, "Signature") && val != Redacted {
				t.Fatalf("signature left in %q (from %q)", got, v)
			}
		}
	})
}

// Any URL that parses either signs or fails cleanly, and the canonical
// URI always ends in "/" and holds only unreserved bytes, "%" and "/".
func FuzzSign(f *testing.F) {
	for _, v := range vectors {
		f.Add(v.url)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			return
		}
		s, err := Sign(Request{URL: u}, Keys{AccessKey: "ak", SecretKey: "sk"}, time.Unix(0, 0))
		if err != nil {
			return
		}
		uri := strings.SplitN(s.CanonicalRequest, "\n", 3)[1]
		if !strings.HasSuffix(uri, "/") {
			t.Fatalf("canonical URI %q lacks the trailing slash", uri)
		}
		for i := 0; i < len(uri); i++ {
			if c := uri[i]; !unreserved(c) && c != '%' && c != '/' {
				t.Fatalf("canonical URI %q holds %q", uri, c)
			}
		}
	})
}
