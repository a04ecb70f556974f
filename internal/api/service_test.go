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

type fakeSettings map[string]string

func (f fakeSettings) String(k string) string           { return f[k] }
func (f fakeSettings) Require(k string) (string, error) { return f[k], nil }

// TestResolveAuth: SelectAuth decides the kind; without it Auth stays.
func TestResolveAuth(t *testing.T) {
	t.Parallel()
	pick := func(s Settings) (AuthKind, error) {
		if s.String("auth") == "bearer" {
			return Bearer, nil
		}
		return Basic, nil
	}
	svc := Service{Auth: Basic, SelectAuth: pick}
	got, err := svc.ResolveAuth(fakeSettings{"auth": "bearer"})
	if err != nil || got.Auth != Bearer {
		t.Errorf("bearer setting: %v, %v", got.Auth, err)
	}
	if svc.Auth != Basic {
		t.Error("ResolveAuth changed the original value")
	}
	got, err = Service{Auth: Header}.ResolveAuth(fakeSettings{"auth": "bearer"})
	if err != nil || got.Auth != Header {
		t.Errorf("no SelectAuth: %v, %v", got.Auth, err)
	}
}
