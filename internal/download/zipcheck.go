package download

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Signatures a ZIP archive starts with: a local file header, or the end
// of central directory record of an empty archive.
var (
	sigLocal = []byte("PK\x03\x04")
	sigEmpty = []byte("PK\x05\x06")
)

// isZipStart: b (an answer's first bytes, at least four of them for a
// yes) starts like a ZIP archive. It decides whatever the Content-Type
// says (httpx.Call.IsFile).
func isZipStart(b []byte) bool {
	return bytes.HasPrefix(b, sigLocal) || bytes.HasPrefix(b, sigEmpty)
}

// checkZip checks that the size bytes of r are a readable ZIP archive:
// its central directory opens, and every entry's local header is where
// the directory says, with its data inside the file. It returns the
// number of files (entries that are not directories). It does not decompress
// anything: CRCs are checked on extraction.
func checkZip(r io.ReaderAt, size int64) (int, error) {
	// archive/zip keeps every directory entry in memory: look at the
	// count first, so a hostile directory cannot exhaust memory.
	tail := make([]byte, min(size, tailMax))
	if _, err := r.ReadAt(tail, size-int64(len(tail))); err != nil && err != io.EOF {
		return 0, err
	}
	n, err := countFromTail(tail, size)
	if err != nil {
		return 0, err
	}
	if n > defaultLimits.entries {
		return 0, fmt.Errorf("it lists %d entries, more than the %d diagctl accepts", n, defaultLimits.entries)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return 0, err
	}
	for _, f := range zr.File {
		off, err := f.DataOffset()
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				err = errors.New("its local header lies outside the file")
			}
			return 0, fmt.Errorf("entry %q: %w", f.Name, err)
		}
		if off > size || f.CompressedSize64 > uint64(size-off) {
			return 0, fmt.Errorf("entry %q: its data runs past the end of the file", f.Name)
		}
	}
	files := 0
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, "/") {
			files++
		}
	}
	return files, nil
}

// filesFromTail is the number of files of an archive written to stdout,
// from its last bytes: the entries of the central directory whose names
// do not end in "/" when the directory lies within tail; the entry count
// of the end record (directories included) when it is larger than tail.
func filesFromTail(tail []byte, streamLen int64) (int, error) {
	n, err := countFromTail(tail, streamLen)
	if err != nil {
		return 0, err
	}
	dir, ok := centralDirectory(tail, streamLen)
	if !ok {
		return n, nil
	}
	le := binary.LittleEndian
	files := 0
	for i := 0; i < n; i++ {
		if len(dir) < 46 || le.Uint32(dir) != 0x02014b50 {
			return n, nil // not what the end record promised: count entries
		}
		nameLen, extraLen, commentLen := int(le.Uint16(dir[28:])), int(le.Uint16(dir[30:])), int(le.Uint16(dir[32:]))
		if len(dir) < 46+nameLen+extraLen+commentLen {
			return n, nil
		}
		if name := dir[46 : 46+nameLen]; len(name) == 0 || name[len(name)-1] != '/' {
			files++
		}
		dir = dir[46+nameLen+extraLen+commentLen:]
	}
	return files, nil
}

// centralDirectory is the central directory's bytes when the (32-bit)
// end record in tail points at a directory that lies wholly in tail.
func centralDirectory(tail []byte, streamLen int64) ([]byte, bool) {
	le := binary.LittleEndian
	tailStart := streamLen - int64(len(tail))
	for i := len(tail) - 22; i >= 0; i-- {
		if le.Uint32(tail[i:]) != 0x06054b50 || i+22+int(le.Uint16(tail[i+20:])) != len(tail) {
			continue
		}
		size, off := int64(le.Uint32(tail[i+12:])), int64(le.Uint32(tail[i+16:]))
		if off < tailStart || off-tailStart+size > int64(i) {
			return nil, false
		}
		return tail[off-tailStart : off-tailStart+size], true
	}
	return nil, false
}

// countFromTail reads the entry count from the end of central directory
// record (ZIP64 when needed) in tail, the last bytes of a stream of
// streamLen bytes. This is how an archive written to stdout is checked
// without keeping it: the record must end the stream exactly (after its
// comment) and the directory it points at must lie before it.
func countFromTail(tail []byte, streamLen int64) (int, error) {
	le := binary.LittleEndian
	tailStart := streamLen - int64(len(tail))
	for i := len(tail) - 22; i >= 0; i-- {
		if le.Uint32(tail[i:]) != 0x06054b50 {
			continue
		}
		if i+22+int(le.Uint16(tail[i+20:])) != len(tail) {
			continue // not the last record, or a signature inside the comment
		}
		records := uint64(le.Uint16(tail[i+10:]))
		dirSize := uint64(le.Uint32(tail[i+12:]))
		dirOff := uint64(le.Uint32(tail[i+16:]))
		end := uint64(tailStart) + uint64(i)
		if records == 0xffff || dirSize == 0xffffffff || dirOff == 0xffffffff {
			loc := i - 20
			if loc < 0 || le.Uint32(tail[loc:]) != 0x07064b50 {
				return 0, errors.New("zip: ZIP64 end of central directory locator missing")
			}
			abs := le.Uint64(tail[loc+8:])
			if loc < 56 || abs < uint64(tailStart) || abs-uint64(tailStart) > uint64(loc-56) {
				return 0, errors.New("zip: ZIP64 end of central directory record not found")
			}
			rec := int64(abs - uint64(tailStart))
			if le.Uint32(tail[rec:]) != 0x06064b50 {
				return 0, errors.New("zip: ZIP64 end of central directory record not found")
			}
			records = le.Uint64(tail[rec+32:])
			dirSize = le.Uint64(tail[rec+40:])
			dirOff = le.Uint64(tail[rec+48:])
			end = uint64(tailStart + rec)
		}
		if dirOff > end || dirSize > end-dirOff {
			return 0, errors.New("zip: central directory lies outside the archive")
		}
		if records > uint64(streamLen) { // every entry takes more than a byte
			return 0, errors.New("zip: impossible number of entries")
		}
		return int(records), nil
	}
	return 0, zip.ErrFormat
}
