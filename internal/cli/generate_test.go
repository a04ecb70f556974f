package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGeneratedFilesCurrent fails when docs/ or completions/ no longer
// match the command tree: run `go run ./cmd/gendocs` and commit.
func TestGeneratedFilesCurrent(t *testing.T) {
	files, err := Generated()
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join("..", "..", name))
		if err != nil {
			t.Errorf("%s: %v (run: go run ./cmd/gendocs)", name, err)
			continue
		}
		if !bytes.Equal(got, append(want, '\n')) {
			t.Errorf("%s is stale: run go run ./cmd/gendocs and commit", name)
		}
	}
	for _, sub := range []string{"docs", "completions"} {
		existing, _ := filepath.Glob(filepath.Join("..", "..", sub, GeneratedGlob(sub)))
		for _, p := range existing {
			rel, _ := filepath.Rel(filepath.Join("..", ".."), p)
			if _, ok := files[rel]; !ok {
				t.Errorf("%s is no longer generated: run go run ./cmd/gendocs", rel)
			}
		}
	}
}
