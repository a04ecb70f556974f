package symkey

import (
	"debug/pe"
	"encoding/binary"
	"fmt"
	"io"
)

// peKey: <name>/<TimeDateStamp %08X><SizeOfImage %x>/<name>.
func peKey(r io.ReaderAt, size int64, name string) ([]Key, error) {
	// An MZ file without a PE header is a DOS program: not a symbol file.
	var hdr [64]byte
	if size < int64(len(hdr)) {
		return nil, ErrUnknownKind
	}
	if _, err := r.ReadAt(hdr[:], 0); err != nil {
		return nil, err
	}
	lfanew := int64(binary.LittleEndian.Uint32(hdr[0x3c:]))
	var sig [4]byte
	if lfanew+4 > size {
		return nil, ErrUnknownKind
	}
	if _, err := r.ReadAt(sig[:], lfanew); err != nil || string(sig[:]) != "PE\x00\x00" {
		return nil, ErrUnknownKind
	}
	f, err := pe.NewFile(io.NewSectionReader(r, 0, size))
	if err != nil {
		return nil, formatErr(KindPE, "%v", err)
	}
	var stamp, image uint32
	stamp = f.FileHeader.TimeDateStamp
	switch oh := f.OptionalHeader.(type) {
	case *pe.OptionalHeader32:
		image = oh.SizeOfImage
	case *pe.OptionalHeader64:
		image = oh.SizeOfImage
	default:
		return nil, formatErr(KindPE, "no optional header (an object file, not an image)")
	}
	return []Key{{Kind: KindPE, ClientKey: fmt.Sprintf("%s/%08X%x/%s", name, stamp, image, name)}}, nil
}
