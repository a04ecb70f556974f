package vsohash

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"
)

// Benchmarks on a 64 MiB file (in the page cache after the first read):
// SHA-256 of the whole file on one core is the yardstick; File should beat
// it by the number of cores.
const benchSize = 64 << 20

func benchFile(b *testing.B) *os.File {
	b.Helper()
	path := filepath.Join(b.TempDir(), "bench.bin")
	if err := os.WriteFile(path, content(benchSize), 0o600); err != nil {
		b.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { f.Close() })
	return f
}

func BenchmarkFileParallel(b *testing.B) {
	f := benchFile(b)
	b.SetBytes(benchSize)
	for b.Loop() {
		if _, err := File(context.Background(), f, benchSize, FileOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFileOneWorker(b *testing.B) {
	f := benchFile(b)
	b.SetBytes(benchSize)
	for b.Loop() {
		if _, err := File(context.Background(), f, benchSize, FileOptions{Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStream(b *testing.B) {
	data := content(benchSize)
	b.SetBytes(benchSize)
	for b.Loop() {
		h := New()
		h.Write(data)
		h.Sum()
	}
}

func BenchmarkPlainSHA256(b *testing.B) {
	data := content(benchSize)
	b.SetBytes(benchSize)
	for b.Loop() {
		sha256.Sum256(data)
	}
}
