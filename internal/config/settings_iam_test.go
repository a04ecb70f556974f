package config

import "testing"

// The IAM and AK/SK settings carry the names DESIGN.md fixes.
func TestIAMSettings(t *testing.T) {
	want := []struct {
		key, env string
		secret   bool
	}{
		{"logs.iam-user", "DIAGCTL_LOGS_IAM_USER", false},
		{"logs.iam-domain", "DIAGCTL_LOGS_IAM_DOMAIN", false},
		{"logs.iam-user-id", "DIAGCTL_LOGS_IAM_USER_ID", false},
		{"logs.iam-password", "DIAGCTL_LOGS_IAM_PASSWORD", true},
		{"logs.iam-endpoint", "DIAGCTL_LOGS_IAM_ENDPOINT", false},
		{"logs.access-key", "DIAGCTL_LOGS_ACCESS_KEY", false},
		{"logs.secret-key", "DIAGCTL_LOGS_SECRET_KEY", true},
	}
	for _, w := range want {
		s, ok := Lookup(w.key)
		if !ok {
			t.Errorf("%s: not a setting", w.key)
			continue
		}
		if len(s.Env) != 1 || s.Env[0] != w.env || s.Secret != w.secret || s.Help == "" {
			t.Errorf("%s = %+v, want env %s secret %v", w.key, s, w.env, w.secret)
		}
	}
}
