package config

import (
	"path/filepath"
	"testing"

	"github.com/spf13/pflag"

	"github.com/diagctl/diagctl/internal/exit"
)

func TestRequire(t *testing.T) {
	env := map[string]string{"DIAGCTL_SANDBOX_USER": "alice"}
	c, err := Load(filepath.Join(t.TempDir(), "none.yaml"), "", func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	fs := pflag.NewFlagSet("x", pflag.ContinueOnError)
	fs.String("server", "", "")
	c.BindFlag("sandbox.server", fs.Lookup("server"))

	if v, err := c.Require("sandbox.user"); v != "alice" || err != nil {
		t.Errorf("Require(sandbox.user) = %q, %v", v, err)
	}
	_, err = c.Require("sandbox.server")
	want := "pass --server or set DIAGCTL_SANDBOX_SERVER (or sandbox.server in the config file)"
	if exit.Code(err) != exit.Usage || exit.Hint(err) != want || err.Error() != "no sandbox server" {
		t.Errorf("err %q hint %q (exit %d), want hint %q", err, exit.Hint(err), exit.Code(err), want)
	}
	// Without a bound flag, and with two variables.
	_, err = c.Require("symbols.token")
	if want := "set DIAGCTL_SYMBOLS_TOKEN or AZURE_DEVOPS_EXT_PAT (or symbols.token in the config file)"; exit.Hint(err) != want {
		t.Errorf("hint %q, want %q", exit.Hint(err), want)
	}
}

func TestRequireUnknownKeyPanics(t *testing.T) {
	c, err := Load(filepath.Join(t.TempDir(), "none.yaml"), "", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if recover() == nil {
			t.Error("Require of an unknown key did not panic")
		}
	}()
	c.Require("sandbox.sever")
}
