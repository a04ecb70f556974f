package symkey

import (
	"encoding/binary"
	"fmt"
	"io"
)

// A Portable PDB is ECMA-335 metadata on its own: the metadata root
// ("BSJB", version string, stream headers) at offset 0, and a "#Pdb"
// stream whose first 20 bytes are the PDB id (a GUID and a 4-byte stamp).
// Metadata without a #Pdb stream is not a Portable PDB.

// metadataHeaderMax bounds the root and stream headers read; real files
// have a few hundred bytes of them.
const metadataHeaderMax = 64 << 10

func portablePDBKey(r io.ReaderAt, size int64, name string) ([]Key, error) {
	hdr := make([]byte, min(size, metadataHeaderMax))
	if n, err := r.ReadAt(hdr, 0); n < len(hdr) {
		return nil, err
	}
	le := binary.LittleEndian
	if len(hdr) < 16 {
		return nil, formatErr(KindPortablePDB, "metadata root truncated (%d bytes)", len(hdr))
	}
	verLen := int(le.Uint32(hdr[12:]))
	if verLen > 255 || verLen%4 != 0 {
		return nil, formatErr(KindPortablePDB, "metadata version string of %d bytes (at most 255, a multiple of 4)", verLen)
	}
	p := 16 + verLen
	if p+4 > len(hdr) {
		return nil, formatErr(KindPortablePDB, "metadata root truncated after the version string")
	}
	streams := int(le.Uint16(hdr[p+2:]))
	p += 4
	for i := range streams {
		if p+8 > len(hdr) {
			return nil, formatErr(KindPortablePDB, "stream header %d truncated", i)
		}
		off, sz := int64(le.Uint32(hdr[p:])), int64(le.Uint32(hdr[p+4:]))
		p += 8
		end := p
		for end < len(hdr) && end-p < 32 && hdr[end] != 0 {
			end++
		}
		if end >= len(hdr) || hdr[end] != 0 {
			return nil, formatErr(KindPortablePDB, "stream header %d: name not terminated within 32 bytes", i)
		}
		streamName := string(hdr[p:end])
		p = (end + 4) &^ 3 // the name, its NUL, padded to 4 bytes
		if streamName != "#Pdb" {
			continue
		}
		if sz < 20 || off+20 > size {
			return nil, formatErr(KindPortablePDB, "#Pdb stream at %d of %d bytes does not hold the 20-byte id in a %d-byte file", off, sz, size)
		}
		var id [20]byte
		if _, err := r.ReadAt(id[:], off); err != nil {
			return nil, formatErr(KindPortablePDB, "reading the #Pdb stream: %v", err)
		}
		return []Key{{Kind: KindPortablePDB, ClientKey: fmt.Sprintf("%s/%sFFFFFFFF/%s", name, guidHex(id[:16]), name)}}, nil
	}
	return nil, ErrUnknownKind
}
