package vsohash

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// vectors reads ../../../shared/api/vso-hash-vectors.txt's copy in testdata.
type vector struct {
	n      int
	hexID  string
	base64 string
}

func readVectors(t *testing.T) (ids []vector, blocks map[int]string, example [2]string) {
	t.Helper()
	f, err := os.Open("testdata/vso-hash-vectors.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	blocks = map[int]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Fields(line)
		switch fs[0] {
		case "block":
			n, _ := strconv.Atoi(fs[1])
			blocks[n] = fs[2]
		case "example":
			example = [2]string{fs[1], fs[2]}
		default:
			n, err := strconv.Atoi(fs[0])
			if err != nil || len(fs) != 3 {
				t.Fatalf("bad vector line %q", line)
			}
			ids = append(ids, vector{n, fs[1], fs[2]})
		}
	}
	if len(ids) == 0 || len(blocks) == 0 || example[0] == "" {
		t.Fatal("vectors file incomplete")
	}
	return ids, blocks, example
}

// content is the vectors' input: byte i is i & 0xFF.
func content(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

func TestVectors(t *testing.T) {
	ids, _, _ := readVectors(t)
	for _, v := range ids {
		data := content(v.n)
		h := New()
		h.Write(data)
		got := h.Sum()
		if got.Hex() != v.hexID || got.String() != v.base64 {
			t.Errorf("stream N=%d: got %s %s, want %s %s", v.n, got.Hex(), got, v.hexID, v.base64)
		}
		for _, workers := range []int{1, 2, 3, 8} {
			id, err := File(context.Background(), bytes.NewReader(data), int64(len(data)), FileOptions{Workers: workers})
			if err != nil || id != got {
				t.Errorf("File N=%d workers=%d: %s %v, want %s", v.n, workers, id, err, got)
			}
		}
		if p, err := Parse(v.base64); err != nil || p != got {
			t.Errorf("Parse(%s) = %v %v", v.base64, p, err)
		}
	}
}

func TestBlockVectors(t *testing.T) {
	_, blocks, _ := readVectors(t)
	for n, want := range blocks {
		data := content(n)
		var pages []byte
		for off := 0; off < len(data); off += PageSize {
			s := sha256.Sum256(data[off:min(off+PageSize, len(data))])
			pages = append(pages, s[:]...)
		}
		got := blockHash(pages)
		if strings.ToUpper(hex.EncodeToString(got[:])) != want {
			t.Errorf("block N=%d: got %X, want %s", n, got, want)
		}
	}
}

// The documentation's example identifierValue decodes to the bytes the
// vectors file gives, and round-trips through Parse and String.
func TestDocumentationExample(t *testing.T) {
	_, _, ex := readVectors(t)
	raw, err := base64.StdEncoding.DecodeString(ex[0])
	if err != nil || strings.ToUpper(hex.EncodeToString(raw)) != ex[1] {
		t.Fatalf("example decodes to %X (%v), want %s", raw, err, ex[1])
	}
	id, err := Parse(ex[0])
	if err != nil || id.String() != ex[0] || id.Hex() != ex[1] || len(id.String()) != 44 {
		t.Fatalf("Parse(example) = %s %v", id, err)
	}
}

func TestParseRejects(t *testing.T) {
	for _, s := range []string{"", "not base64!", "AAAA", base64.StdEncoding.EncodeToString(append(make([]byte, 32), 1))} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) accepted", s)
		}
	}
}

// The boundary cases by construction: the chain over explicitly computed
// page and block hashes, for sizes around the page and block edges.
func TestBoundaries(t *testing.T) {
	for _, n := range []int{0, 1, PageSize - 1, PageSize, PageSize + 1, BlockSize - 1, BlockSize, BlockSize + 1, 2 * BlockSize, 2*BlockSize + PageSize + 7} {
		data := content(n)
		want := reference(data)
		h := New()
		h.Write(data)
		if got := h.Sum(); got != want {
			t.Errorf("N=%d: stream %s, reference %s", n, got, want)
		}
	}
}

// reference is the definition written out plainly, for comparison.
func reference(data []byte) ID {
	var blockHashes [][32]byte
	for off := 0; off < len(data) || off == 0; off += BlockSize {
		block := data[off:min(off+BlockSize, len(data))]
		var pages []byte
		for p := 0; p < len(block); p += PageSize {
			s := sha256.Sum256(block[p:min(p+PageSize, len(block))])
			pages = append(pages, s[:]...)
		}
		blockHashes = append(blockHashes, sha256.Sum256(pages))
		if len(data) == 0 {
			break
		}
	}
	rid := []byte(seed)
	for i, bh := range blockHashes {
		final := byte(0)
		if i == len(blockHashes)-1 {
			final = 1
		}
		s := sha256.Sum256(append(append(append([]byte{}, rid...), bh[:]...), final))
		rid = s[:]
	}
	var id ID
	copy(id[:], rid)
	return id
}

// Streaming in odd-sized writes and the parallel hasher agree on random
// sizes and contents.
func TestStreamingAndParallelAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pool := NewBufferPool(2)
	for range 25 {
		n := rng.IntN(9 * BlockSize)
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		h := New()
		for rest := data; len(rest) > 0; {
			k := min(len(rest), 1+rng.IntN(3*PageSize))
			h.Write(rest[:k])
			rest = rest[k:]
		}
		s := h.Sum()
		if h.Len() != int64(n) {
			t.Fatalf("Len %d, want %d", h.Len(), n)
		}
		var progressed atomic.Int64
		opts := FileOptions{Workers: 1 + rng.IntN(4), Progress: func(k int64) { progressed.Add(k) }}
		if rng.IntN(2) == 0 {
			opts.Buffers = pool
		}
		p, err := File(context.Background(), bytes.NewReader(data), int64(n), opts)
		if err != nil || p != s {
			t.Fatalf("N=%d: stream %s, parallel %s %v", n, s, p, err)
		}
		r, rn, err := Reader(bytes.NewReader(data))
		if err != nil || r != s || rn != int64(n) {
			t.Fatalf("N=%d: Reader %s %d %v", n, r, rn, err)
		}
		if progressed.Load() != int64(n) {
			t.Fatalf("N=%d: progress counted %d bytes", n, progressed.Load())
		}
	}
}

func TestFileShorterThanSize(t *testing.T) {
	data := content(3*BlockSize + 5)
	for _, w := range []int{1, 2} {
		_, err := File(context.Background(), bytes.NewReader(data), int64(len(data))+BlockSize, FileOptions{Workers: w})
		if err == nil || !strings.Contains(err.Error(), "changed while being read") {
			t.Errorf("workers=%d: err %v", w, err)
		}
	}
}

func TestFileCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	data := content(8 * BlockSize)
	for _, w := range []int{1, 2} {
		if _, err := File(ctx, bytes.NewReader(data), int64(len(data)), FileOptions{Workers: w}); err == nil {
			t.Errorf("workers=%d: cancelled context gave no error", w)
		}
	}
}

// Files hashed at once through one pool hold no more buffers than it has.
func TestBufferPoolShared(t *testing.T) {
	pool := NewBufferPool(3)
	data := content(7*BlockSize + 11)
	want := reference(data)
	errs := make(chan error, 6)
	for range 6 {
		go func() {
			id, err := File(context.Background(), bytes.NewReader(data), int64(len(data)), FileOptions{Workers: 4, Buffers: pool})
			if err == nil && id != want {
				err = errors.New("wrong identifier " + id.String())
			}
			errs <- err
		}()
	}
	for range 6 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := len(pool.free); n != 3 {
		t.Fatalf("%d buffers back in the pool, want 3", n)
	}
}

// Sum in the middle of a stream does not disturb it.
func TestSumMidStream(t *testing.T) {
	data := content(2*BlockSize + 3*PageSize + 5)
	h := New()
	for _, cut := range []int{0, 1, PageSize, BlockSize, BlockSize + 1, 2 * BlockSize, len(data)} {
		h.Write(data[h.Len():cut])
		if got, want := h.Sum(), reference(data[:cut]); got != want {
			t.Errorf("Sum after %d bytes: %s, want %s", cut, got, want)
		}
	}
}

// Through a real file (memory-mapped where the system allows): the
// vectors, and a file shorter than the size given is an error, not a
// crash (a mapped page past the end faults).
func TestFileOnDisk(t *testing.T) {
	dir := t.TempDir()
	ids, _, _ := readVectors(t)
	for _, v := range ids {
		path := filepath.Join(dir, strconv.Itoa(v.n))
		if err := os.WriteFile(path, content(v.n), 0o600); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []int{1, 2} {
			id, err := File(context.Background(), f, int64(v.n), FileOptions{Workers: w, Buffers: NewBufferPool(1)})
			if err != nil || id.Hex() != v.hexID {
				t.Errorf("N=%d workers=%d: %s %v, want %s", v.n, w, id.Hex(), err, v.hexID)
			}
		}
		f.Close()
	}
	path := filepath.Join(dir, "short")
	if err := os.WriteFile(path, content(3*BlockSize+100), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, w := range []int{1, 2} {
		if _, err := File(context.Background(), f, 4*BlockSize+100, FileOptions{Workers: w}); err == nil || !strings.Contains(err.Error(), "changed while being") {
			t.Errorf("workers=%d: %v", w, err)
		}
	}
}
