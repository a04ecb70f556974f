package api

import (
	"net/http"
	"testing"
)

func TestNewAuth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		svc        Service
		user, sec  string
		header     string
		wantValue  string
		wantNoAuth bool
	}{
		{Service{Auth: Basic}, "u", "p", "Authorization", "Basic dTpw", false},
		{Service{Auth: Bearer}, "", "tok", "Authorization", "Bearer tok", false},
		{Service{Auth: Header, AuthHeader: "PgrApiKey"}, "", "k", "PgrApiKey", "k", false},
		{Service{Auth: Header, AuthHeader: "PgrApiKey", Secret: Secret{Optional: true}}, "", "", "", "", true},
		{Service{Auth: NoAuth}, "", "x", "", "", true},
	}
	for _, tt := range tests {
		a := tt.svc.NewAuth(tt.user, tt.sec)
		if tt.wantNoAuth {
			if a != nil {
				t.Errorf("%+v: want no auth", tt.svc)
			}
			continue
		}
		req, _ := http.NewRequest(http.MethodGet, "https://h.example/", nil)
		if err := a(req); err != nil {
			t.Fatal(err)
		}
		h := req.Header
		if got := h[tt.header]; len(got) != 1 || got[0] != tt.wantValue {
			t.Errorf("%+v: header %s = %q, want %q", tt.svc, tt.header, got, tt.wantValue)
		}
	}
}
