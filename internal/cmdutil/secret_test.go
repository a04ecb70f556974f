package cmdutil

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// secretFactory builds a Factory on test streams with a config file
// holding content (mode 0600) and the given environment.
func secretFactory(t *testing.T, content string, env map[string]string) (*Factory, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if content != "" {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ios, in, _, errOut := iostreams.Test()
	f := NewFactory(ios, func(k string) string { return env[k] }, "test", context.Background())
	f.Globals.ConfigPath = path
	return f, in, errOut
}

var passwordSpec = SecretSpec{Key: "sandbox.password", StdinFlag: "--password-stdin", Label: "Sandbox password: "}

func TestSecretSources(t *testing.T) {
	const file = "sandbox:\n  password: file-pw\nsymbols:\n  token: file-token\n"
	tests := []struct {
		name      string
		file      string
		env       map[string]string
		stdin     string
		fromStdin bool
		spec      SecretSpec
		want      string
	}{
		{"stdin flag", file, map[string]string{"DIAGCTL_SANDBOX_PASSWORD": "env-pw"}, "stdin-pw\n", true, passwordSpec, "stdin-pw"},
		{"stdin crlf and more lines", "", nil, "stdin-pw\r\nnext\n", true, passwordSpec, "stdin-pw"},
		{"stdin without newline", "", nil, "stdin-pw", true, passwordSpec, "stdin-pw"},
		{"env wins over file", file, map[string]string{"DIAGCTL_SANDBOX_PASSWORD": "env-pw"}, "", false, passwordSpec, "env-pw"},
		{"file", file, nil, "", false, passwordSpec, "file-pw"},
		{"second token variable wins over file", file, map[string]string{"AZURE_DEVOPS_EXT_PAT": "pat"}, "", false,
			SecretSpec{Key: "symbols.token", StdinFlag: "--token-stdin"}, "pat"},
		{"first token variable wins", file, map[string]string{"AZURE_DEVOPS_EXT_PAT": "pat", "DIAGCTL_SYMBOLS_TOKEN": "tok"}, "", false,
			SecretSpec{Key: "symbols.token", StdinFlag: "--token-stdin"}, "tok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, in, _ := secretFactory(t, tt.file, tt.env)
			in.WriteString(tt.stdin)
			spec := tt.spec
			spec.FromStdin = tt.fromStdin
			got, err := f.Secret(spec)
			if err != nil || got != tt.want {
				t.Errorf("Secret = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestSecretStdinEmpty(t *testing.T) {
	for _, stdin := range []string{"", "\n", "\r\n"} {
		f, in, _ := secretFactory(t, "", map[string]string{"DIAGCTL_SANDBOX_PASSWORD": "env-pw"})
		in.WriteString(stdin)
		spec := passwordSpec
		spec.FromStdin = true
		_, err := f.Secret(spec)
		if exit.Code(err) != exit.Usage {
			t.Errorf("stdin %q: err %v (exit %d), want usage", stdin, err, exit.Code(err))
		}
		if !strings.Contains(err.Error(), "--password-stdin") || !strings.Contains(exit.Hint(err), "--password-stdin") {
			t.Errorf("stdin %q: err %q hint %q", stdin, err, exit.Hint(err))
		}
	}
}

func TestSecretMissingWithoutTerminal(t *testing.T) {
	tests := []struct {
		spec    SecretSpec
		env     string
		flag    string
		missing string
	}{
		{passwordSpec, "DIAGCTL_SANDBOX_PASSWORD", "--password-stdin", "sandbox.password"},
		{SecretSpec{Key: "logs.token", StdinFlag: "--token-stdin"}, "DIAGCTL_LOGS_TOKEN", "--token-stdin", "logs.token"},
		{SecretSpec{Key: "symbols.token", StdinFlag: "--token-stdin"}, "DIAGCTL_SYMBOLS_TOKEN", "--token-stdin", "symbols.token"},
		{SecretSpec{Key: "report-task.api-key", StdinFlag: "--api-key-stdin"}, "DIAGCTL_REPORT_TASK_API_KEY", "--api-key-stdin", "report-task.api-key"},
	}
	for _, tt := range tests {
		t.Run(tt.spec.Key, func(t *testing.T) {
			f, _, errOut := secretFactory(t, "sandbox:\n  server: x\n", nil)
			_, err := f.Secret(tt.spec)
			if exit.Code(err) != exit.Usage {
				t.Fatalf("err %v (exit %d), want usage", err, exit.Code(err))
			}
			h := exit.Hint(err)
			if !strings.Contains(h, tt.env) || !strings.Contains(h, tt.flag) {
				t.Errorf("hint %q does not name %s and %s", h, tt.env, tt.flag)
			}
			if !strings.Contains(err.Error(), tt.missing) {
				t.Errorf("error %q does not name %s", err, tt.missing)
			}
			if errOut.Len() != 0 {
				t.Errorf("something was prompted: %q", errOut.String())
			}
		})
	}
}

func TestSecretConfigErrorPropagates(t *testing.T) {
	f, _, _ := secretFactory(t, "sandbox:\n  password: pw\n", nil)
	if err := os.Chmod(f.Globals.ConfigPath, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := f.Secret(passwordSpec)
	if exit.Code(err) != exit.Usage || !strings.Contains(exit.Hint(err), "chmod 600") {
		t.Errorf("err %v, hint %q", err, exit.Hint(err))
	}
}

func TestSecretNeverPromptsInCompletion(t *testing.T) {
	for _, fromStdin := range []bool{false, true} {
		f, in, errOut := secretFactory(t, "", nil)
		in.WriteString("piped\n")
		f.IOStreams.SetTTY(true, true, true)
		f.IOStreams.SetStdinFd(0) // would be a terminal
		f.IOStreams.InCompletion = true
		spec := passwordSpec
		spec.FromStdin = fromStdin
		v, err := f.Secret(spec)
		if err == nil || v != "" {
			t.Errorf("fromStdin=%v: Secret = %q, %v during completion", fromStdin, v, err)
		}
		if errOut.Len() != 0 {
			t.Errorf("fromStdin=%v: prompted during completion: %q", fromStdin, errOut.String())
		}
		if in.String() != "piped\n" {
			t.Errorf("fromStdin=%v: stdin read during completion", fromStdin)
		}
	}
}
