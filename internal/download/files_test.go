package download

import (
	"bytes"
	"testing"
)

// TestFilesCountsFilesNotDirectories: "N files" counts files only, both
// for a saved archive and for one streamed to stdout.
func TestFilesCountsFilesNotDirectories(t *testing.T) {
	data := makeZip(t, zipEntry{name: "logs/"}, zipEntry{name: "logs/a.txt", body: []byte("a")},
		zipEntry{name: "logs/sub/"}, zipEntry{name: "logs/sub/b.txt", body: []byte("b")}, zipEntry{name: "c.txt"})
	n, err := checkZip(bytes.NewReader(data), int64(len(data)))
	if err != nil || n != 3 {
		t.Errorf("checkZip = %d, %v; want 3 files", n, err)
	}
	n, err = filesFromTail(data, int64(len(data)))
	if err != nil || n != 3 {
		t.Errorf("filesFromTail = %d, %v; want 3 files", n, err)
	}
	// When the kept tail does not hold the whole directory, the end
	// record's entry count is all there is.
	if n, err := filesFromTail(data[len(data)-30:], int64(len(data))); err != nil || n != 5 {
		t.Errorf("short tail: %d, %v; want the 5 entries", n, err)
	}
}
