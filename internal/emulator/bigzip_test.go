package emulator

import (
	"archive/zip"
	"bytes"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"testing"
)

func TestCRC32Combine(t *testing.T) {
	data := dataBlock()[:100000]
	r := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		cut := r.IntN(len(data) + 1)
		a, b := data[:cut], data[cut:]
		got := crc32Combine(crc32.ChecksumIEEE(a), crc32.ChecksumIEEE(b), int64(len(b)))
		if want := crc32.ChecksumIEEE(data); got != want {
			t.Fatalf("cut %d: %08x, want %08x", cut, got, want)
		}
	}
}

func TestRepeatCRC(t *testing.T) {
	blk := dataBlock()
	for _, n := range []int64{0, 1, blockSize - 1, blockSize, blockSize + 1, 3*blockSize + 12345, 8 * blockSize} {
		h := crc32.NewIEEE()
		for left := n; left > 0; {
			k := min(left, blockSize)
			h.Write(blk[:k])
			left -= k
		}
		if got, want := repeatCRC(blk, n), h.Sum32(); got != want {
			t.Errorf("n=%d: %08x, want %08x", n, got, want)
		}
	}
}

// Every range of a generated archive equals the same bytes of the whole.
func TestBigZipWriteRange(t *testing.T) {
	z := newBigZip(3<<20 + 17)
	var full bytes.Buffer
	if err := z.WriteRange(&full, 0, z.Size()); err != nil {
		t.Fatal(err)
	}
	if int64(full.Len()) != z.Size() {
		t.Fatalf("wrote %d bytes, want %d", full.Len(), z.Size())
	}
	data := full.Bytes()
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		off := r.Int64N(z.Size())
		n := r.Int64N(z.Size() - off + 1)
		var b bytes.Buffer
		_ = z.WriteRange(&b, off, n)
		if !bytes.Equal(b.Bytes(), data[off:off+n]) {
			t.Fatalf("range %d+%d differs", off, n)
		}
	}
}

func TestBigArchiveOverHTTP(t *testing.T) {
	const size = 3 << 20
	_, base := serve(t, Options{BigSize: size})
	url := sandboxURL(base, TaskBig)
	a := call(t, "GET", url, "", sandboxAuth)
	if a.status != 200 || len(a.body) != size || a.header.Get("Content-Length") != strconv.Itoa(size) {
		t.Fatalf("%d, %d bytes, Content-Length %s", a.status, len(a.body), a.header.Get("Content-Length"))
	}
	if a.header.Get("Content-Type") != "application/zip" || a.header.Get("Accept-Ranges") != "bytes" {
		t.Errorf("headers %v", a.header)
	}
	zr, err := zip.NewReader(bytes.NewReader(a.body), size)
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != 1 || zr.File[0].Method != zip.Store || zr.File[0].UncompressedSize64 != size-uint64(MinBigSize) {
		t.Fatalf("entries %+v", zr.File[0].FileHeader)
	}
	zipNames(t, a.body) // reads the entry: its CRC must match

	// Ranges across the header, the data and the central directory.
	for _, rg := range [][2]int64{{0, 0}, {0, 99}, {40, 70}, {size - 200, size - 1}, {1 << 20, 2<<20 + 5}, {size - 1, size - 1}} {
		got := call(t, "GET", url, "", withRange(sandboxAuth, fmt.Sprintf("bytes=%d-%d", rg[0], rg[1])))
		if got.status != 206 || !bytes.Equal(got.body, a.body[rg[0]:rg[1]+1]) ||
			got.header.Get("Content-Range") != fmt.Sprintf("bytes %d-%d/%d", rg[0], rg[1], size) {
			t.Errorf("range %v: %d %q", rg, got.status, got.header.Get("Content-Range"))
		}
	}

	// The logs service serves the same generator.
	if b := call(t, "GET", logsURL(base, SubJobBig), "", logsAuth); len(b.body) != size || !bytes.Equal(b.body, a.body) {
		t.Errorf("logs big archive differs (%d bytes)", len(b.body))
	}
}

// httpReaderAt reads a remote file with Range requests, so archive/zip can
// parse an archive's directory without downloading it.
type httpReaderAt struct {
	t        *testing.T
	url      string
	requests int
}

func (h *httpReaderAt) ReadAt(p []byte, off int64) (int, error) {
	h.requests++
	a := call(h.t, "GET", h.url, "", withRange(sandboxAuth, fmt.Sprintf("bytes=%d-%d", off, off+int64(len(p))-1)))
	if a.status != http.StatusPartialContent {
		return 0, fmt.Errorf("status %d", a.status)
	}
	n := copy(p, a.body)
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// A 5 GiB archive needs ZIP64; its directory is read through ranges only.
func TestBigArchiveZip64(t *testing.T) {
	const size = 5<<30 + 7
	_, base := serve(t, Options{BigSize: size})
	url := sandboxURL(base, TaskBig)
	head := call(t, "HEAD", url, "", sandboxAuth)
	if head.header.Get("Content-Length") != strconv.FormatInt(size, 10) {
		t.Fatalf("Content-Length %q", head.header.Get("Content-Length"))
	}
	ra := &httpReaderAt{t: t, url: url}
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		t.Fatalf("directory: %v", err)
	}
	if len(zr.File) != 1 {
		t.Fatalf("%d entries", len(zr.File))
	}
	f := zr.File[0]
	if want := uint64(size) - uint64(zip64Over); f.UncompressedSize64 != want || f.CompressedSize64 != want {
		t.Errorf("entry sizes %d/%d, want %d", f.UncompressedSize64, f.CompressedSize64, want)
	}
	if f.CRC32 != repeatCRC(dataBlock(), int64(f.UncompressedSize64)) {
		t.Error("CRC differs")
	}
	rc, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	start := make([]byte, 4096)
	if _, err := io.ReadFull(rc, start); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(start, dataBlock()[:4096]) {
		t.Error("entry data does not start with the block")
	}
	off, err := f.DataOffset()
	if err != nil || off != int64(localLen+zip64Extra) {
		t.Errorf("data offset %d (%v)", off, err)
	}
	if ra.requests > 20 {
		t.Errorf("%d range requests to read a directory", ra.requests)
	}
}
