package cmdutil_test

import (
	"os"
	"testing"

	"github.com/diagctl/diagctl/internal/cmdutil/cmdutiltest"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// TestProxySetting: --proxy, then DIAGCTL_<SERVICE>_PROXY, then
// <service>.proxy in the config file; each named for messages; unset
// leaves the environment's HTTPS_PROXY to httpx.
func TestProxySetting(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name       string
		flag, file string
		env        map[string]string
		svc        string
		want       string
		wantOrigin string
	}{
		{"unset", "", "", map[string]string{"HTTPS_PROXY": "http://corp:3128"}, "logs", "", ""},
		{"config file", "", "logs:\n  proxy: http://corp:8080\n", nil, "logs", "http://corp:8080", "logs.proxy in the config file"},
		{"environment over the file", "", "logs:\n  proxy: http://corp:8080\n", map[string]string{"DIAGCTL_LOGS_PROXY": "none"}, "logs", "none", "DIAGCTL_LOGS_PROXY"},
		{"flag over everything", "http://flag:1", "logs:\n  proxy: http://corp:8080\n", map[string]string{"DIAGCTL_LOGS_PROXY": "none"}, "logs", "http://flag:1", "--proxy"},
		{"another service's setting does not apply", "", "logs:\n  proxy: http://corp:8080\n", map[string]string{"DIAGCTL_SANDBOX_PROXY": "none"}, "report-task", "", ""},
		{"report-task", "", "", map[string]string{"DIAGCTL_REPORT_TASK_PROXY": "http://r:1"}, "report-task", "http://r:1", "DIAGCTL_REPORT_TASK_PROXY"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := cmdutiltest.NewFactory(t, ios, tt.env)
			if err := os.WriteFile(f.Globals.ConfigPath, []byte(tt.file), 0o600); err != nil {
				t.Fatal(err)
			}
			f.Globals.Proxy = tt.flag
			o, err := f.HTTPOptions(tt.svc)
			if err != nil {
				t.Fatal(err)
			}
			if o.Proxy != tt.want || o.ProxyOrigin != tt.wantOrigin || o.Getenv == nil {
				t.Errorf("proxy %q from %q, want %q from %q", o.Proxy, o.ProxyOrigin, tt.want, tt.wantOrigin)
			}
			if o.Getenv != nil && o.Getenv("HTTPS_PROXY") != tt.env["HTTPS_PROXY"] {
				t.Error("the proxy variables are not read from the Factory's environment")
			}
		})
	}
}
