package cli

import (
	"testing"

	"github.com/diagctl/diagctl/internal/api"
	logsapi "github.com/diagctl/diagctl/internal/api/logs"
	radarapi "github.com/diagctl/diagctl/internal/api/radar"
	sandboxapi "github.com/diagctl/diagctl/internal/api/sandbox"
	symbolsapi "github.com/diagctl/diagctl/internal/api/symbols"
	"github.com/diagctl/diagctl/internal/config"
	"github.com/diagctl/diagctl/internal/exit"
)

// services is every api.Service a command uses; a new service command
// adds its value here.
var services = []api.Service{sandboxapi.Service, logsapi.Service, radarapi.Service, symbolsapi.Service}

// keyRecorder is api.Settings that knows no value and records the keys
// asked for.
type keyRecorder struct{ keys []string }

func (k *keyRecorder) String(key string) string { k.keys = append(k.keys, key); return "" }
func (k *keyRecorder) Require(key string) (string, error) {
	k.keys = append(k.keys, key)
	return "", exit.UsageErrorf("", "no %s", key)
}

// TestServiceSettingsKnown: every setting a service reads is in the
// settings table (config.Require would panic on it at run time), and
// every service has what the Factory needs.
func TestServiceSettingsKnown(t *testing.T) {
	for _, svc := range services {
		rec := &keyRecorder{}
		if _, err := svc.BaseURL(rec); exit.Code(err) != exit.Usage {
			t.Errorf("%s: BaseURL without settings: %v, want a usage error", svc.Name, err)
		}
		if svc.SelectAuth != nil {
			if _, err := svc.SelectAuth(rec); err != nil {
				t.Errorf("%s: SelectAuth without settings: %v, want the default kind", svc.Name, err)
			}
		}
		keys := append(rec.keys, svc.UserKey, svc.Secret.Key, svc.Name+".ca-cert", svc.Name+".insecure", svc.Name+".proxy")
		for _, key := range keys {
			if key == "" {
				continue
			}
			if _, ok := config.Lookup(key); !ok {
				t.Errorf("%s: setting %q is not in config.Settings", svc.Name, key)
			}
		}
		if svc.DecodeError == nil || svc.Name == "" {
			t.Errorf("%s: incomplete service value", svc.Name)
		}
		if svc.Auth == api.Header && svc.AuthHeader == "" {
			t.Errorf("%s: header auth without AuthHeader", svc.Name)
		}
		if svc.Secret.Key != "" && (svc.Secret.StdinFlag == "" || svc.Secret.StdinHelp == "") {
			t.Errorf("%s: secret without its stdin flag", svc.Name)
		}
	}
}
