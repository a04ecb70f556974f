package httpx

import (
	"strings"
	"testing"
)

func TestRedactURLQuery(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"https://h/p?sub_job_id=abc", "https://h/p?sub_job_id=abc"},
		{"https://acct.blob.core.windows.net/c/b?sv=2021&sig=AbC%2Bsecret&se=2030", "https://acct.blob.core.windows.net/c/b?sv=2021&sig=[redacted]&se=2030"},
		{"/o?X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA%2F1", "/o?X-Amz-Signature=[redacted]&X-Amz-Credential=[redacted]"},
		{"https://u:pw@h/p", "https://u:[redacted]@h/p"},
		{"https://u:pw@h/p?token=t", "https://u:[redacted]@h/p?token=[redacted]"},
		{"/p?api_key=1&apikey=2&keys=3", "/p?api_key=[redacted]&apikey=[redacted]&keys=3"},
	}
	for _, tt := range tests {
		got := redactURL(tt.in)
		if got != tt.want {
			t.Errorf("redactURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
		for _, secret := range []string{"secret", "deadbeef", "pw@"} {
			if strings.Contains(got, secret) {
				t.Errorf("redactURL(%q) leaks %q", tt.in, secret)
			}
		}
	}
}
