package emulator

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/diagctl/diagctl/internal/api/logs/aksk"
)

// Requests signed by hand (canonical request written out, hashed with
// sha256sum, signed with openssl dgst -sha256 -hmac LogsSecretKey), not
// with diagctl's signer: see internal/api/logs/aksk/signer_test.go for
// the first vector's intermediate strings.
const (
	// GET http://127.0.0.1:8080/v1/log-file?sub_job_id=<SubJobOK> at
	// 2024-05-06T07:08:09Z; string to sign
	// "SDK-HMAC-SHA256\n20240506T070809Z\n9b623e98e04b12ec77127d7aeac8ea7f90b2bb3cd15445d09b8d5f743f1eb982".
	v1URL  = "http://127.0.0.1:8080/v1/log-file?sub_job_id=" + SubJobOK
	v1Auth = "SDK-HMAC-SHA256 Access=EMUAK7Q2X4M9K1V8B3N5, SignedHeaders=host;x-sdk-date, Signature=854906719af802cd8c406b381568ca58461082680fe17ccfdaa5d72b8c10ad87"

	// GET http://127.0.0.1:8080/v1/log-file?sub_job_id=<SubJobOK>&z=2&z=1&b=x+y
	// with X-Project-Id, same time. Canonical request:
	//   GET
	//   /v1/log-file/
	//   b=x%20y&sub_job_id=a777ff00d3cf4d369d87066806ae0001&z=1&z=2
	//   host:127.0.0.1:8080
	//   x-project-id:0123456789abcdef0123456789abcdef
	//   x-sdk-date:20240506T070809Z
	//
	//   host;x-project-id;x-sdk-date
	//   e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
	// its SHA-256 adeae16288b29d5dca7b9d049cf2ac59bf2442fb38b9388571b1713f1641baef.
	v2URL     = "http://127.0.0.1:8080/v1/log-file?sub_job_id=" + SubJobOK + "&z=2&z=1&b=x+y"
	v2Project = "0123456789abcdef0123456789abcdef"
	v2Auth    = "SDK-HMAC-SHA256 Access=EMUAK7Q2X4M9K1V8B3N5, SignedHeaders=host;x-project-id;x-sdk-date, Signature=b6a06ea109c7496da2e5ac2058a1f91521a3e7293841b91af359e05658e4d17d"

	vDate = "20240506T070809Z"
)

var vTime = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// signed serves one request in-process (the Host must be the signed one).
func signed(t *testing.T, now time.Time, url string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	e := New(Options{Now: func() time.Time { return now }})
	r := httptest.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	e.ServeHTTP(w, r)
	return w
}

func TestAKSKAcceptsHandSignedRequests(t *testing.T) {
	for name, w := range map[string]*httptest.ResponseRecorder{
		"v1":             signed(t, vTime.Add(2*time.Minute), v1URL, "X-Sdk-Date", vDate, "Authorization", v1Auth),
		"v2 project id":  signed(t, vTime, v2URL, "X-Sdk-Date", vDate, "Authorization", v2Auth, "X-Project-Id", v2Project),
		"15 min later":   signed(t, vTime.Add(15*time.Minute), v1URL, "X-Sdk-Date", vDate, "Authorization", v1Auth),
		"15 min earlier": signed(t, vTime.Add(-15*time.Minute), v1URL, "X-Sdk-Date", vDate, "Authorization", v1Auth),
	} {
		if w.Code != 200 {
			t.Errorf("%s: %d %s", name, w.Code, w.Body)
			continue
		}
		zipNames(t, w.Body.Bytes())
	}
}

func TestAKSKRejections(t *testing.T) {
	flipped := v1Auth[:len(v1Auth)-1] + "8" // the signature ends in 7
	tests := []struct {
		name string
		now  time.Time
		url  string
		hdr  []string
		want string
	}{
		{"wrong signature", vTime, v1URL, []string{"X-Sdk-Date", vDate, "Authorization", flipped}, "verify aksk signature fail"},
		{"query changed", vTime, logsURL("http://127.0.0.1:8080", SubJobOK2), []string{"X-Sdk-Date", vDate, "Authorization", v1Auth}, "verify aksk signature fail"},
		{"host changed", vTime, "http://127.0.0.1:8081/v1/log-file?sub_job_id=" + SubJobOK, []string{"X-Sdk-Date", vDate, "Authorization", v1Auth}, "verify aksk signature fail"},
		{"date changed", vTime, v1URL, []string{"X-Sdk-Date", "20240506T070810Z", "Authorization", v1Auth}, "verify aksk signature fail"},
		{"project id changed", vTime, v2URL, []string{"X-Sdk-Date", vDate, "Authorization", v2Auth, "X-Project-Id", "ffff"}, "verify aksk signature fail"},
		{"skew ahead", vTime.Add(15*time.Minute + time.Second), v1URL, []string{"X-Sdk-Date", vDate, "Authorization", v1Auth}, "more than 15 minutes"},
		{"skew behind", vTime.Add(-15*time.Minute - time.Second), v1URL, []string{"X-Sdk-Date", vDate, "Authorization", v1Auth}, "more than 15 minutes"},
		{"no date", vTime, v1URL, []string{"Authorization", v1Auth}, "signed header x-sdk-date is not in the request"},
		{"host not signed", vTime, v1URL, []string{"X-Sdk-Date", vDate, "Authorization", strings.Replace(v1Auth, "host;x-sdk-date", "x-sdk-date", 1)}, "host and x-sdk-date must be"},
		{"date not signed", vTime, v1URL, []string{"X-Sdk-Date", vDate, "Authorization", strings.Replace(v1Auth, "host;x-sdk-date", "host", 1)}, "host and x-sdk-date must be"},
		{"signed header absent", vTime, v2URL, []string{"X-Sdk-Date", vDate, "Authorization", v2Auth}, "signed header x-project-id is not in the request"},
		{"unknown ak", vTime, v1URL, []string{"X-Sdk-Date", vDate, "Authorization", strings.Replace(v1Auth, "EMUAK7Q2X4M9K1V8B3N5", "HPUAUNKNOWN000000000", 1)}, "ak HPUAUNKNOWN000000000 not exist"},
		{"malformed", vTime, v1URL, []string{"X-Sdk-Date", vDate, "Authorization", "SDK-HMAC-SHA256 Signature"}, "is not SDK-HMAC-SHA256"},
		{"no signature", vTime, v1URL, []string{"X-Sdk-Date", vDate, "Authorization", "SDK-HMAC-SHA256 Access=EMUAK7Q2X4M9K1V8B3N5, SignedHeaders=host;x-sdk-date"}, "is not SDK-HMAC-SHA256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := signed(t, tt.now, tt.url, tt.hdr...)
			body := w.Body.String()
			if w.Code != 401 || !strings.Contains(body, `"error_code":"APIGW.0301"`) ||
				!strings.Contains(body, `"error_msg":"Incorrect IAM authentication information: `) || !strings.Contains(body, tt.want) || !strings.Contains(body, `"request_id"`) {
				t.Errorf("%d %s; want 401 APIGW.0301 ...%s", w.Code, body, tt.want)
			}
		})
	}
}

// A token, when sent, is what counts; an Authorization of another scheme
// is not AK/SK and leaves the request without credentials.
func TestAKSKAndTokens(t *testing.T) {
	w := signed(t, vTime, v1URL, "X-Auth-Token", LogsToken, "X-Sdk-Date", vDate, "Authorization", "SDK-HMAC-SHA256 Access=x, SignedHeaders=host, Signature=0")
	if w.Code != 200 {
		t.Errorf("token with a bad signature beside it: %d %s", w.Code, w.Body)
	}
	w = signed(t, vTime, v1URL, "Authorization", "Bearer abc")
	if w.Code != 401 || !strings.Contains(w.Body.String(), "x-auth-token not found") {
		t.Errorf("Bearer: %d %s", w.Code, w.Body)
	}
}

// diagctl's signer and this verifier, written apart, agree on awkward
// queries over a real connection (Host as Go's client sends it).
func TestAKSKAgreesWithSigner(t *testing.T) {
	clk := &fakeClock{t: time.Now()}
	_, base := serve(t, Options{Now: clk.Now})
	keys := aksk.Keys{AccessKey: LogsAccessKey, SecretKey: LogsSecretKey, ProjectID: "p1", SecurityToken: "tmp-token"}
	for _, q := range []string{
		"",
		"&a=2&a=1&a=10",
		"&b=x+y&c=%2F%3F%26%3D&d",
		"&%C3%A9=%E2%9C%93&~k_.-=~v_.-",
	} {
		sign := func(r *http.Request) {
			if err := aksk.SignRequest(r, "", keys, clk.Now()); err != nil {
				t.Fatal(err)
			}
		}
		a := call(t, "GET", logsURL(base, SubJobOK)+q, "", sign)
		if a.status != 200 {
			t.Errorf("query %q: %d %s", q, a.status, a.body)
		}
	}
	wrong := keys
	wrong.SecretKey += "x"
	a := call(t, "GET", logsURL(base, SubJobOK), "", func(r *http.Request) {
		if err := aksk.SignRequest(r, "", wrong, clk.Now()); err != nil {
			t.Fatal(err)
		}
	})
	if a.status != 401 || !strings.Contains(string(a.body), "verify aksk signature fail") {
		t.Errorf("wrong SK: %d %s", a.status, a.body)
	}
}

// No Authorization value or query lets a request through without the
// secret key, and none makes the verifier panic.
func FuzzAKSKVerify(f *testing.F) {
	f.Add(v1Auth, "sub_job_id="+SubJobOK, vDate)
	f.Add(v2Auth, "sub_job_id="+SubJobOK+"&z=2&z=1&b=x+y", vDate)
	f.Add("SDK-HMAC-SHA256 Access=EMUAK7Q2X4M9K1V8B3N5, SignedHeaders=;;, Signature=00", "%zz=%", "2024")
	e := New(Options{Now: func() time.Time { return vTime }, ReceivedLimit: 16})
	f.Fuzz(func(t *testing.T, auth, query, date string) {
		r := httptest.NewRequest("GET", "http://127.0.0.1:8080/v1/log-file", nil)
		r.URL.RawQuery = query
		r.Header["Authorization"] = []string{auth}
		r.Header["X-Sdk-Date"] = []string{date}
		w := httptest.NewRecorder()
		e.ServeHTTP(w, r)
		valid := (auth == v1Auth && query == "sub_job_id="+SubJobOK && date == vDate)
		if w.Code != 401 && !valid {
			t.Fatalf("status %d for Authorization %q, query %q, date %q", w.Code, auth, query, date)
		}
	})
}
