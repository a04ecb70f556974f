package config

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestUnknownKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	yaml := "sandbox:\n  sever: typo.example\n  server: ok.example\nprofiles:\n  prod:\n    logs:\n      tokn: x\n      region: cn-north-4\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, "", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"profiles.prod.logs.tokn", "sandbox.sever"}
	if got := c.UnknownKeys(); !reflect.DeepEqual(got, want) {
		t.Errorf("UnknownKeys() = %v, want %v", got, want)
	}
}
