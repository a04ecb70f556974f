package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/diagctl/diagctl/internal/exit"
)

func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// writeConfig writes content to dir/config.yaml with the given mode
// (chmod'ed explicitly so the umask does not matter).
func writeConfig(t *testing.T, content string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

func mustLoad(t *testing.T, path, profile string, env map[string]string) *Config {
	t.Helper()
	c, err := Load(path, profile, envMap(env))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

const precedenceFile = `
sandbox:
  server: file.example
  user: file-user
report-task:
  user-id: file-uid
symbols:
  token: file-token
  auth: bearer
profiles:
  prod:
    sandbox:
      server: prod.example
    report-task:
      user-id: prod-uid
    symbols:
      token: prod-token
  lab:
    sandbox:
      user: lab-user
`

func TestPrecedence(t *testing.T) {
	path := writeConfig(t, precedenceFile, 0o600)
	type tc struct {
		name    string
		key     string
		flag    string // flag value, "" for not given
		env     map[string]string
		profile string
		want    string
		source  string
	}
	tests := []tc{
		// sandbox.server: every level.
		{"server flag beats all", "sandbox.server", "flag.example", map[string]string{"DIAGCTL_SANDBOX_SERVER": "env.example"}, "prod", "flag.example", "flag --server"},
		{"server env beats profile", "sandbox.server", "", map[string]string{"DIAGCTL_SANDBOX_SERVER": "env.example"}, "prod", "env.example", "env DIAGCTL_SANDBOX_SERVER"},
		{"server profile beats file", "sandbox.server", "", nil, "prod", "prod.example", "profile prod"},
		{"server file without profile", "sandbox.server", "", nil, "", "file.example", "file"},
		{"server file when profile lacks key", "sandbox.server", "", nil, "lab", "file.example", "file"},
		{"empty env is not set", "sandbox.server", "", map[string]string{"DIAGCTL_SANDBOX_SERVER": ""}, "", "file.example", "file"},

		// report-task.user-id: dashes in the key and env name.
		{"user-id env", "report-task.user-id", "", map[string]string{"DIAGCTL_REPORT_TASK_USER_ID": "env-uid"}, "prod", "env-uid", "env DIAGCTL_REPORT_TASK_USER_ID"},
		{"user-id profile", "report-task.user-id", "", nil, "prod", "prod-uid", "profile prod"},
		{"user-id file", "report-task.user-id", "", nil, "", "file-uid", "file"},
		{"user-id flag", "report-task.user-id", "flag-uid", nil, "prod", "flag-uid", "flag --server"},

		// symbols.token: two variables, the first wins.
		{"token first env wins", "symbols.token", "", map[string]string{"DIAGCTL_SYMBOLS_TOKEN": "d", "AZURE_DEVOPS_EXT_PAT": "a"}, "prod", "d", "env DIAGCTL_SYMBOLS_TOKEN"},
		{"token second env", "symbols.token", "", map[string]string{"AZURE_DEVOPS_EXT_PAT": "a"}, "prod", "a", "env AZURE_DEVOPS_EXT_PAT"},
		{"token empty first env falls to second", "symbols.token", "", map[string]string{"DIAGCTL_SYMBOLS_TOKEN": "", "AZURE_DEVOPS_EXT_PAT": "a"}, "", "a", "env AZURE_DEVOPS_EXT_PAT"},
		{"token profile", "symbols.token", "", nil, "prod", "prod-token", "profile prod"},
		{"token file", "symbols.token", "", nil, "", "file-token", "file"},

		// defaults.
		{"url default", "symbols.url", "", nil, "prod", "https://artifacts.dev.azure.com", "default"},
		{"url env beats default", "symbols.url", "", map[string]string{"DIAGCTL_SYMBOLS_URL": "http://x"}, "", "http://x", "env DIAGCTL_SYMBOLS_URL"},
		{"auth file beats default", "symbols.auth", "", nil, "", "bearer", "file"},
		{"unset no default", "logs.region", "", nil, "prod", "", ""},
		{"user from lab profile", "sandbox.user", "", nil, "lab", "lab-user", "profile lab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustLoad(t, path, tt.profile, tt.env)
			fs := pflag.NewFlagSet("x", pflag.ContinueOnError)
			fs.String("server", "", "")
			c.BindFlag(tt.key, fs.Lookup("server"))
			if tt.flag != "" {
				if err := fs.Parse([]string{"--server", tt.flag}); err != nil {
					t.Fatal(err)
				}
			}
			got := c.Get(tt.key)
			if got.Value != tt.want || got.Source != tt.source {
				t.Errorf("Get(%s) = %q from %q, want %q from %q", tt.key, got.Value, got.Source, tt.want, tt.source)
			}
			if c.String(tt.key) != tt.want {
				t.Errorf("String(%s) = %q", tt.key, c.String(tt.key))
			}
		})
	}
}

func TestUnchangedFlagIsNotASource(t *testing.T) {
	path := writeConfig(t, precedenceFile, 0o600)
	c := mustLoad(t, path, "", nil)
	fs := pflag.NewFlagSet("x", pflag.ContinueOnError)
	fs.String("server", "flag-default", "")
	c.BindFlag("sandbox.server", fs.Lookup("server"))
	c.BindFlag("sandbox.user", nil) // a nil flag is ignored
	if got := c.Get("sandbox.server"); got.Value != "file.example" {
		t.Errorf("an unchanged flag's default was used: %+v", got)
	}
	if got := c.Get("sandbox.user"); got.Value != "file-user" {
		t.Errorf("sandbox.user = %+v", got)
	}
}

func TestProfileSelection(t *testing.T) {
	path := writeConfig(t, precedenceFile, 0o600)
	c := mustLoad(t, path, "prod", nil)
	if c.Profile() != "prod" || c.Path() != path {
		t.Errorf("Profile/Path = %q/%q", c.Profile(), c.Path())
	}
	if got := c.Profiles(); strings.Join(got, ",") != "lab,prod" {
		t.Errorf("Profiles() = %v", got)
	}
	// Profile names are case-insensitive, like every viper key.
	if c := mustLoad(t, path, "PROD", nil); c.String("sandbox.server") != "prod.example" {
		t.Errorf("--profile PROD: sandbox.server = %q", c.String("sandbox.server"))
	}
}

func TestUnknownProfile(t *testing.T) {
	path := writeConfig(t, precedenceFile, 0o600)
	_, err := Load(path, "staging", envMap(nil))
	if err == nil {
		t.Fatal("unknown profile accepted")
	}
	if exit.Code(err) != exit.Usage {
		t.Errorf("exit status %d, want %d", exit.Code(err), exit.Usage)
	}
	if !strings.Contains(err.Error(), `"staging"`) {
		t.Errorf("error does not name the profile: %v", err)
	}
	if h := exit.Hint(err); !strings.Contains(h, "lab") || !strings.Contains(h, "prod") {
		t.Errorf("hint does not list the known profiles: %q", h)
	}

	// A profile with nothing under it yet is defined.
	for _, content := range []string{"profiles:\n  prod:\n", "profiles:\n  prod: {}\n"} {
		if _, err := Load(writeConfig(t, content, 0o600), "prod", envMap(nil)); err != nil {
			t.Errorf("%q: %v", content, err)
		}
	}

	// No file at all: the hint says how to add the profile.
	_, err = Load(filepath.Join(t.TempDir(), "none.yaml"), "prod", envMap(nil))
	if exit.Code(err) != exit.Usage || !strings.Contains(exit.Hint(err), "profiles.prod") {
		t.Errorf("missing file with a profile: %v (hint %q)", err, exit.Hint(err))
	}

	// A bad profile name never reaches viper (a dot would address a nested key).
	for _, name := range []string{"a.b", "a b", "../x"} {
		if _, err := Load(path, name, envMap(nil)); exit.Code(err) != exit.Usage {
			t.Errorf("profile %q: err %v", name, err)
		}
	}
}

func TestMissingFileIsEmpty(t *testing.T) {
	c := mustLoad(t, filepath.Join(t.TempDir(), "nope", "config.yaml"), "", map[string]string{"DIAGCTL_LOGS_REGION": "cn-north-4"})
	if got := c.Get("logs.region"); got.Value != "cn-north-4" {
		t.Errorf("logs.region = %+v", got)
	}
	if got := c.Get("symbols.auth"); got.Value != "pat" || got.Source != "default" {
		t.Errorf("symbols.auth = %+v", got)
	}
}

func TestSecretFilePermissions(t *testing.T) {
	tests := []struct {
		name         string
		content      string
		mode         os.FileMode
		profile, key string
		refused      bool
	}{
		{"secret 0644 refused", "sandbox:\n  password: s3cret\n", 0o644, "", "sandbox.password", true},
		{"secret 0640 refused", "logs:\n  token: t\n", 0o640, "", "logs.token", true},
		{"secret 0604 refused", "symbols:\n  token: t\n", 0o604, "", "symbols.token", true},
		{"secret 0600 accepted", "sandbox:\n  password: s3cret\n", 0o600, "", "sandbox.password", false},
		{"secret 0400 accepted", "report-task:\n  api-key: k\n", 0o400, "", "report-task.api-key", false},
		{"no secret 0644 accepted", "sandbox:\n  server: x\n  user: u\n", 0o644, "", "", false},
		{"secret only in a profile refused", "sandbox:\n  server: x\nprofiles:\n  prod:\n    logs:\n      token: t\n", 0o644, "prod", "logs.token", true},
		{"secret only in a mixed-case profile refused", "profiles:\n  Prod:\n    Report-Task:\n      API-Key: k\n", 0o644, "prod", "report-task.api-key", true},
		{"secret key in mixed case refused", "Sandbox:\n  Password: s3cret\n", 0o644, "", "sandbox.password", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeConfig(t, tt.content, tt.mode)
			// The file loads either way: what is not a secret is used,
			// and set/unset can fix it.
			c := mustLoad(t, path, tt.profile, nil)
			if tt.key == "" {
				if err := c.OpenSecretsError(); err != nil {
					t.Fatalf("no secret in the file, yet: %v", err)
				}
				if c.String("sandbox.server") != "x" {
					t.Errorf("setting not used: %q", c.String("sandbox.server"))
				}
				return
			}
			v, err := c.Secret(tt.key)
			if !tt.refused {
				if err != nil || v == "" {
					t.Fatalf("refused: %q, %v", v, err)
				}
				return
			}
			if err == nil || v != "" || c.String(tt.key) != "" {
				t.Fatalf("secret %s from a file readable by others handed out: %q, %v, %q", tt.key, v, err, c.String(tt.key))
			}
			if exit.Code(err) != exit.Usage {
				t.Errorf("exit status %d, want %d", exit.Code(err), exit.Usage)
			}
			if h := exit.Hint(err); !strings.Contains(h, "chmod 600 "+path) {
				t.Errorf("hint %q does not contain %q", h, "chmod 600 "+path)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error does not name the file: %v", err)
			}
		})
	}
}

// A secret from the environment is used even when the file's own are not.
func TestOpenSecretFileEnvironmentStillWorks(t *testing.T) {
	path := writeConfig(t, "sandbox:\n  server: srv\n  password: filepw\n", 0o644)
	c := mustLoad(t, path, "", map[string]string{"DIAGCTL_SANDBOX_PASSWORD": "envpw"})
	if v, err := c.Secret("sandbox.password"); err != nil || v != "envpw" {
		t.Errorf("Secret = %q, %v; want the environment's", v, err)
	}
	if c.String("sandbox.server") != "srv" {
		t.Errorf("non-secret setting not used: %q", c.String("sandbox.server"))
	}
}

func TestMalformedYAML(t *testing.T) {
	for _, content := range []string{"sandbox: [unclosed\n", "a: b\n  c: d\n\t- x\n"} {
		path := writeConfig(t, content, 0o600)
		_, err := Load(path, "", envMap(nil))
		if err == nil {
			t.Fatalf("%q accepted", content)
		}
		if exit.Code(err) != exit.Usage || !strings.Contains(err.Error(), path) {
			t.Errorf("%q: exit %d, err %v", content, exit.Code(err), err)
		}
	}
}

func TestBool(t *testing.T) {
	path := writeConfig(t, "sandbox:\n  insecure: true\nlogs:\n  insecure: maybe\nprofiles:\n  p:\n    symbols:\n      insecure: nah\n", 0o600)
	tests := []struct {
		name    string
		key     string
		env     map[string]string
		profile string
		want    bool
		errHas  []string
	}{
		{"yaml bool", "sandbox.insecure", nil, "", true, nil},
		{"unset is false", "report-task.insecure", nil, "", false, nil},
		{"env true", "report-task.insecure", map[string]string{"DIAGCTL_REPORT_TASK_INSECURE": "1"}, "", true, nil},
		{"env false beats file", "sandbox.insecure", map[string]string{"DIAGCTL_SANDBOX_INSECURE": "false"}, "", false, nil},
		{"bad file value names file", "logs.insecure", nil, "", false, []string{"logs.insecure", "file", `"maybe"`}},
		{"bad env value names env", "sandbox.insecure", map[string]string{"DIAGCTL_SANDBOX_INSECURE": "yes please"}, "", false, []string{"env DIAGCTL_SANDBOX_INSECURE", `"yes please"`}},
		{"bad profile value names profile", "symbols.insecure", nil, "p", false, []string{"profile p", `"nah"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustLoad(t, path, tt.profile, tt.env)
			got, err := c.Bool(tt.key)
			if tt.errHas == nil {
				if err != nil || got != tt.want {
					t.Errorf("Bool = %v, %v; want %v", got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Bool = %v, want an error", got)
			}
			if exit.Code(err) != exit.Usage {
				t.Errorf("exit %d", exit.Code(err))
			}
			for _, s := range tt.errHas {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
		})
	}
}

func TestParseBool(t *testing.T) {
	for _, s := range []string{"true", "TRUE", "True", "t", "1"} {
		if b, err := ParseBool(s); err != nil || !b {
			t.Errorf("ParseBool(%q) = %v, %v", s, b, err)
		}
	}
	for _, s := range []string{"false", "FALSE", "f", "0"} {
		if b, err := ParseBool(s); err != nil || b {
			t.Errorf("ParseBool(%q) = %v, %v", s, b, err)
		}
	}
	for _, s := range []string{"", "yes!", "maybe", "2"} {
		if _, err := ParseBool(s); err == nil {
			t.Errorf("ParseBool(%q) accepted", s)
		}
	}
}

func TestEnvName(t *testing.T) {
	tests := map[string]string{
		"report-task.user-id": "DIAGCTL_REPORT_TASK_USER_ID",
		"report-task.api-key": "DIAGCTL_REPORT_TASK_API_KEY",
		"sandbox.server":      "DIAGCTL_SANDBOX_SERVER",
		"logs.ca-cert":        "DIAGCTL_LOGS_CA_CERT",
		"Sandbox.Password":    "DIAGCTL_SANDBOX_PASSWORD",
	}
	for key, want := range tests {
		if got := EnvName(key); got != want {
			t.Errorf("EnvName(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestSettingsTable(t *testing.T) {
	wantEnv := map[string][]string{
		"sandbox.password":    {"DIAGCTL_SANDBOX_PASSWORD"},
		"symbols.token":       {"DIAGCTL_SYMBOLS_TOKEN", "AZURE_DEVOPS_EXT_PAT"},
		"report-task.user-id": {"DIAGCTL_REPORT_TASK_USER_ID"},
		"sandbox.insecure":    {"DIAGCTL_SANDBOX_INSECURE"},
		"report-task.ca-cert": {"DIAGCTL_REPORT_TASK_CA_CERT"},
	}
	for key, env := range wantEnv {
		s, ok := Lookup(key)
		if !ok || strings.Join(s.Env, ",") != strings.Join(env, ",") {
			t.Errorf("Lookup(%q) = %+v, %v", key, s, ok)
		}
	}
	secrets := []string{}
	for _, s := range Settings {
		if s.Secret {
			secrets = append(secrets, s.Key)
		}
	}
	sort.Strings(secrets)
	if got := strings.Join(secrets, ","); got != "logs.iam-password,logs.secret-key,logs.token,report-task.api-key,sandbox.password,symbols.token" {
		t.Errorf("secret keys = %s", got)
	}
	if s, ok := Lookup("SANDBOX.Server"); !ok || s.Key != "sandbox.server" {
		t.Errorf("Lookup is not case-insensitive: %+v %v", s, ok)
	}
	if _, ok := Lookup("sandbox.nope"); ok {
		t.Error("Lookup found an unknown key")
	}
	if len(Keys()) != len(Settings) || Keys()[0] != "sandbox.server" {
		t.Errorf("Keys() = %v", Keys())
	}
}

func TestDefaultPath(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"DIAGCTL_CONFIG": "/c/x.yaml", "XDG_CONFIG_HOME": "/xdg"}, "/c/x.yaml"},
		{map[string]string{"XDG_CONFIG_HOME": "/xdg", "HOME": "/home/u"}, "/xdg/diagctl/config.yaml"},
		{map[string]string{"HOME": "/home/u"}, "/home/u/.config/diagctl/config.yaml"},
	}
	for _, tt := range tests {
		if got := DefaultPath(envMap(tt.env)); got != tt.want {
			t.Errorf("DefaultPath(%v) = %q, want %q", tt.env, got, tt.want)
		}
	}
}

func readYAML(t *testing.T, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	if err := yaml.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func fileMode(t *testing.T, path string) os.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

func TestSetCreatesFileAndDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "diagctl")
	path := filepath.Join(dir, "config.yaml")
	c := mustLoad(t, path, "", nil)
	if err := c.Set("sandbox.password", "s3cret"); err != nil {
		t.Fatal(err)
	}
	if m := fileMode(t, path); m != 0o600 {
		t.Errorf("file mode %04o, want 0600", m)
	}
	if m := fileMode(t, dir); m&0o077 != 0 {
		t.Errorf("directory mode %04o is open to others", m)
	}
	if err := c.Set("Sandbox.Server", "lab.example"); err != nil {
		t.Fatal(err)
	}
	// The in-memory config follows the file, and a fresh load agrees.
	if got := c.Get("sandbox.server"); got.Value != "lab.example" || got.Source != "file" {
		t.Errorf("after Set: %+v", got)
	}
	c2 := mustLoad(t, path, "", nil)
	if c2.String("sandbox.password") != "s3cret" || c2.String("sandbox.server") != "lab.example" {
		t.Errorf("reloaded: %+v", c2.List())
	}
	// No temporary file left behind.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want 1", len(entries))
	}
}

func TestSetTightensAnOpenFile(t *testing.T) {
	path := writeConfig(t, "sandbox:\n  server: x\n", 0o644)
	c := mustLoad(t, path, "", nil)
	if err := c.Set("logs.token", "t"); err != nil {
		t.Fatal(err)
	}
	if m := fileMode(t, path); m != 0o600 {
		t.Errorf("mode %04o after writing a secret", m)
	}
	mustLoad(t, path, "", nil)
}

func TestSetUnderProfile(t *testing.T) {
	path := writeConfig(t, "sandbox:\n  server: top\nprofiles:\n  prod:\n    logs:\n      region: r1\n", 0o600)
	c := mustLoad(t, path, "prod", nil)
	if err := c.Set("sandbox.server", "prod-server"); err != nil {
		t.Fatal(err)
	}
	m := readYAML(t, path)
	if m["sandbox"].(map[string]any)["server"] != "top" {
		t.Errorf("top level changed: %v", m)
	}
	prod := m["profiles"].(map[string]any)["prod"].(map[string]any)
	if prod["sandbox"].(map[string]any)["server"] != "prod-server" || prod["logs"].(map[string]any)["region"] != "r1" {
		t.Errorf("profile section: %v", prod)
	}
	if got := c.Get("sandbox.server"); got.Value != "prod-server" || got.Source != "profile prod" {
		t.Errorf("Get after Set: %+v", got)
	}
}

func TestSetProfileCaseFolded(t *testing.T) {
	path := writeConfig(t, "profiles:\n  prod:\n    logs:\n      region: r1\n", 0o600)
	c := mustLoad(t, path, "PROD", nil)
	if err := c.Set("logs.endpoint", "https://e"); err != nil {
		t.Fatal(err)
	}
	profiles := readYAML(t, path)["profiles"].(map[string]any)
	if len(profiles) != 1 {
		t.Fatalf("a second profile section was written: %v", profiles)
	}
	logs := profiles["prod"].(map[string]any)["logs"].(map[string]any)
	if logs["region"] != "r1" || logs["endpoint"] != "https://e" {
		t.Errorf("profile section: %v", logs)
	}
}

func TestEditProfileCreatesProfile(t *testing.T) {
	path := writeConfig(t, "sandbox:\n  server: top\n", 0o600)
	c := mustLoad(t, path, "", nil)
	if err := c.EditProfile("New"); err != nil {
		t.Fatal(err)
	}
	if err := c.Set("logs.region", "cn-north-4"); err != nil {
		t.Fatal(err)
	}
	c = mustLoad(t, path, "new", nil)
	if got := c.Get("logs.region"); got.Value != "cn-north-4" || got.Source != "profile new" {
		t.Errorf("after creating the profile: %+v", got)
	}
	if profiles := readYAML(t, path)["profiles"].(map[string]any); profiles["new"] == nil {
		t.Errorf("profile not written in lower case: %v", profiles)
	}
	if got := c.Get("sandbox.server"); got.Value != "top" {
		t.Errorf("top level lost: %+v", got)
	}
	for _, bad := range []string{"a.b", "x y"} {
		if err := c.EditProfile(bad); exit.Code(err) != exit.Usage {
			t.Errorf("EditProfile(%q) = %v", bad, err)
		}
	}
}

func unset(t *testing.T, c *Config, key string) bool {
	t.Helper()
	removed, err := c.Unset(key)
	if err != nil {
		t.Fatal(err)
	}
	return removed
}

// Unset prunes the mappings it empties, but a profile stays defined (empty)
// when its last key goes: --profile NAME must keep working.
func TestUnsetPrunesButKeepsProfiles(t *testing.T) {
	path := writeConfig(t, "sandbox:\n  server: top\n  user: u\nprofiles:\n  prod:\n    logs:\n      region: r1\n  lab:\n    logs:\n      region: r2\n", 0o600)
	c := mustLoad(t, path, "prod", nil)
	if !unset(t, c, "logs.region") {
		t.Error("Unset of a key that was there said it was not")
	}
	m := readYAML(t, path)
	profiles := m["profiles"].(map[string]any)
	if p, ok := profiles["prod"]; !ok || len(p.(map[string]any)) != 0 {
		t.Errorf("profile prod after its last key went: %v", profiles)
	}
	if _, ok := profiles["lab"]; !ok {
		t.Errorf("other profile removed: %v", profiles)
	}
	if c.Get("logs.region").Value != "" {
		t.Errorf("in-memory value survived Unset: %+v", c.Get("logs.region"))
	}
	mustLoad(t, path, "prod", nil) // still defined

	c = mustLoad(t, path, "", nil)
	// Removing a key that is not there is not an error, says so, and a
	// non-map in the way is left alone.
	if unset(t, c, "logs.token") {
		t.Error("Unset of a missing key said it removed it")
	}
	if unset(t, c, "sandbox.server.deeper") {
		t.Error("Unset through a scalar said it removed something")
	}
	for _, k := range []string{"sandbox.server", "sandbox.user"} {
		if !unset(t, c, k) {
			t.Errorf("Unset(%s) said it was not there", k)
		}
	}
	m = readYAML(t, path)
	if _, ok := m["sandbox"]; ok {
		t.Errorf("empty sandbox map not pruned: %v", m)
	}
	c = mustLoad(t, path, "lab", nil)
	unset(t, c, "logs.region")
	if got := mustLoad(t, path, "", nil).Profiles(); !slices.Equal(got, []string{"lab", "prod"}) {
		t.Errorf("profiles after removing every key: %v", got)
	}
}

func TestUnsetWithoutFileCreatesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "diagctl")
	path := filepath.Join(dir, "config.yaml")
	c := mustLoad(t, path, "", nil)
	if _, err := c.Unset("sandbox.server"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Unset of a missing file created %s: %v", dir, err)
	}
}

func TestListRedactionIsCallersJob(t *testing.T) {
	path := writeConfig(t, "sandbox:\n  password: pw\n", 0o600)
	c := mustLoad(t, path, "", nil)
	found := false
	for _, v := range c.List() {
		if v.Key == "sandbox.password" {
			found = true
			if !v.Secret || v.Value != "pw" || v.Source != "file" {
				t.Errorf("List entry %+v", v)
			}
		}
	}
	if !found || len(c.List()) != len(Settings) {
		t.Errorf("List has %d entries", len(c.List()))
	}
}

// FuzzEnvNameLookup: every known key maps to a variable that holds only
// [A-Z0-9_], and Lookup agrees with itself whatever the case.
func FuzzEnvNameLookup(f *testing.F) {
	for _, k := range Keys() {
		f.Add(k)
	}
	f.Add("Report-Task.User-ID")
	f.Add("ünïcode.kéy")
	f.Fuzz(func(t *testing.T, key string) {
		name := EnvName(key)
		if !strings.HasPrefix(name, "DIAGCTL_") {
			t.Fatalf("EnvName(%q) = %q", key, name)
		}
		if strings.ContainsAny(name, ".-") {
			t.Fatalf("EnvName(%q) = %q keeps a dot or dash", key, name)
		}
		s, ok := Lookup(key)
		if ok {
			if !strings.EqualFold(s.Key, key) {
				t.Fatalf("Lookup(%q) = %q", key, s.Key)
			}
			if s2, ok2 := Lookup(strings.ToUpper(s.Key)); !ok2 || s2.Key != s.Key {
				t.Fatalf("Lookup not case-insensitive for %q", s.Key)
			}
		}
	})
}

func TestProfileNames(t *testing.T) {
	path := writeConfig(t, "profiles:\n  prod:\n    logs:\n      token: t\n  Lab: {}\n  PROD: {}\n  'bad name': {}\n", 0o644)
	if got := ProfileNames(path); !slices.Equal(got, []string{"lab", "prod"}) {
		t.Errorf("ProfileNames = %q", got)
	}
	for _, content := range []string{"", ": not yaml [", "profiles: 3\n", "- a\n"} {
		if got := ProfileNames(writeConfig(t, content, 0o600)); len(got) != 0 {
			t.Errorf("ProfileNames of %q = %q", content, got)
		}
	}
	if got := ProfileNames(filepath.Join(t.TempDir(), "none.yaml")); got != nil {
		t.Errorf("ProfileNames of a missing file = %q", got)
	}
}

// Completion parses whatever the file holds: it must never panic and
// offer only names --profile accepts.
func FuzzProfileNames(f *testing.F) {
	for _, s := range []string{"profiles:\n  prod: {}\n", "profiles: [a]\n", "profiles:\n  ? [x]\n  : y\n", "&a [*a]"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, n := range profileNamesIn(data) {
			if !profileName().MatchString(n) || n != strings.ToLower(n) {
				t.Fatalf("offered %q", n)
			}
		}
	})
}
