package download

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Signatures a ZIP archive starts with: a local file header, or the end
// of central directory record of an empty archive.
var (
	sigLocal = []byte("PK\x03\x04")
	sigEmpty = []byte("PK\x05\x06")
)

func isZipStart(b []byte) bool {
	return bytes.Equal(b, sigLocal) || bytes.Equal(b, sigEmpty)
}

// checkZip checks that the size bytes of r are a readable ZIP archive:
// its central directory opens, and every entry's local header is where
// the directory says, with its data inside the file. It returns the
// number of entries (directories included). It does not decompress
// anything: CRCs are checked on extraction.
func checkZip(r io.ReaderAt, size int64) (int, error) {
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
	return len(zr.File), nil
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
			rec := int64(le.Uint64(tail[loc+8:])) - tailStart
			if rec < 0 || rec+56 > int64(loc) || le.Uint32(tail[rec:]) != 0x06064b50 {
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
