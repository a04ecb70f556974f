package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// config set and unset keep what the user wrote: comments, key order, and
// the spelling of keys that differ only in case.
func TestEditKeepsComments(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	orig := `# lab sandbox, self-signed
Sandbox:
  Server: old.example # the VM in rack 3
  user: analyst
logs:
  region: cn-north-4 # Beijing
`
	if err := os.WriteFile(path, []byte(orig), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, "", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Set("sandbox.server", "new.example"); err != nil {
		t.Fatal(err)
	}
	if err := c.Set("sandbox.insecure", "true"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Unset("logs.region"); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	want := `# lab sandbox, self-signed
Sandbox:
  Server: new.example # the VM in rack 3
  user: analyst
  insecure: true
`
	if string(got) != want {
		t.Errorf("file after edits:\n%s\nwant:\n%s", got, want)
	}
	if v := c.Get("sandbox.server"); v.Value != "new.example" {
		t.Errorf("sandbox.server = %q after set", v.Value)
	}
	if b, err := c.Bool("sandbox.insecure"); err != nil || !b {
		t.Errorf("sandbox.insecure = %v, %v", b, err)
	}
}

func TestEditRefusesNonMapping(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte("- a\n- b\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := &Config{path: path}
	err := c.Set("sandbox.server", "x")
	if err == nil || !strings.Contains(err.Error(), "mapping") {
		t.Errorf("Set on a list file: %v", err)
	}
}

func TestEditThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "dotfiles", "diagctl.yaml")
	link := filepath.Join(dir, "config.yaml")
	if err := os.MkdirAll(filepath.Dir(real), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, []byte("logs:\n  region: cn-north-4\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	c, err := Load(link, "", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Set("logs.region", "cn-east-3"); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v %v", fi.Mode(), err)
	}
	if got, _ := os.ReadFile(real); !strings.Contains(string(got), "cn-east-3") {
		t.Errorf("target not updated: %s", got)
	}
}
