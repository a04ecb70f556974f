package gendocs

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGeneratedFilesCurrent fails when docs/ (pages and man pages) or completions/ no longer
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
	for _, pattern := range GeneratedDirs {
		existing, _ := filepath.Glob(filepath.Join("..", "..", filepath.FromSlash(pattern)))
		for _, p := range existing {
			rel, _ := filepath.Rel(filepath.Join("..", ".."), p)
			if _, ok := files[rel]; !ok {
				t.Errorf("%s is no longer generated: run go run ./cmd/gendocs", rel)
			}
		}
	}
}

// TestGeneratedTwiceIsIdentical: nothing in the files depends on the time,
// the machine or map order.
func TestGeneratedTwiceIsIdentical(t *testing.T) {
	a, err := Generated()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Generated()
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
	man, ok := a[filepath.Join("docs", "man", "diagctl-sandbox-debug-report.1")]
	if !ok || !bytes.Contains(man, []byte(`.TH "DIAGCTL-SANDBOX-DEBUG-REPORT" "1" "Jan 2026" "diagctl" "diagctl manual"`)) {
		t.Errorf("man page header: %.200s", man)
	}
}
