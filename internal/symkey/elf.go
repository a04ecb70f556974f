package symkey

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

const (
	ntGNUBuildID = 3
	// noteReadMax bounds how much of one note section or segment is read:
	// a build id note is tens of bytes and comes first in practice.
	noteReadMax = 1 << 20
	buildIDMin  = 8
	buildIDMax  = 20
)

// elfKey: the GNU build id, padded to 20 bytes;
// <name>/elf-buildid-<id>/<name>, or _.debug/elf-buildid-sym-<id>/_.debug
// when the file has DWARF (.debug_info or compressed .zdebug_info).
func elfKey(r io.ReaderAt, size int64, name string) ([]Key, error) {
	f, err := elf.NewFile(io.NewSectionReader(r, 0, size))
	if err != nil {
		return nil, formatErr(KindELF, "%v", strings.TrimPrefix(err.Error(), "elf: "))
	}
	switch t := f.Type; {
	case t == elf.ET_CORE:
		return nil, &SkipError{Kind: KindELF, Reason: "core file"}
	case t == elf.ET_REL, t == elf.ET_EXEC, t == elf.ET_DYN, t >= elf.ET_LOOS && t <= elf.ET_HIOS:
	default:
		return nil, &SkipError{Kind: KindELF, Reason: fmt.Sprintf("ELF type %v", t)}
	}
	id, err := elfBuildID(f, r, size)
	if err != nil {
		return nil, err
	}
	if id == nil {
		return nil, &SkipError{Kind: KindELF, Reason: "no GNU build id note"}
	}
	if len(id) < buildIDMin || len(id) > buildIDMax {
		return nil, &SkipError{Kind: KindELF, Reason: fmt.Sprintf("build id of %d bytes (keys need 8 to 20)", len(id))}
	}
	padded := make([]byte, buildIDMax)
	copy(padded, id)
	hexID := hex.EncodeToString(padded)
	for _, s := range f.Sections {
		if strings.HasPrefix(s.Name, ".debug_info") || strings.HasPrefix(s.Name, ".zdebug_info") {
			return []Key{{Kind: KindELFDebug, ClientKey: "_.debug/elf-buildid-sym-" + hexID + "/_.debug"}}, nil
		}
	}
	return []Key{{Kind: KindELF, ClientKey: name + "/elf-buildid-" + hexID + "/" + name}}, nil
}

// elfBuildID looks in the note sections first (a debug file made by
// objcopy --only-keep-debug keeps them, while its program headers may
// describe contents it no longer has), then in the PT_NOTE segments (a
// file stripped of its section headers has only those).
func elfBuildID(f *elf.File, r io.ReaderAt, size int64) ([]byte, error) {
	for _, s := range f.Sections {
		if s.Type != elf.SHT_NOTE {
			continue
		}
		id, err := notesAt(r, size, f.ByteOrder, int64(s.Offset), s.FileSize, s.Addralign, "section "+s.Name)
		if id != nil || err != nil {
			return id, err
		}
	}
	for i, p := range f.Progs {
		if p.Type != elf.PT_NOTE || p.Filesz == 0 {
			continue
		}
		id, err := notesAt(r, size, f.ByteOrder, int64(p.Off), p.Filesz, p.Align, fmt.Sprintf("program header %d (PT_NOTE)", i))
		if id != nil || err != nil {
			return id, err
		}
	}
	return nil, nil
}

// notesAt reads the notes in [off, off+n) and returns the build id's
// descriptor, or nil when there is none.
func notesAt(r io.ReaderAt, size int64, bo binary.ByteOrder, off int64, n, align uint64, where string) ([]byte, error) {
	if off < 0 || n > uint64(size) || uint64(off) > uint64(size)-n {
		return nil, formatErr(KindELF, "%s: %d bytes at offset %d run past the end of the %d-byte file", where, n, off, size)
	}
	buf := make([]byte, min(n, noteReadMax))
	if _, err := r.ReadAt(buf, off); err != nil {
		return nil, formatErr(KindELF, "%s: %v", where, err)
	}
	// Notes are 4-byte aligned, 8-byte in segments and sections that say
	// so (gABI; .note.gnu.property on 64-bit files).
	a := uint64(4)
	if align == 8 {
		a = 8
	}
	pad := func(x uint64) uint64 { return (x + a - 1) &^ (a - 1) }
	for p := uint64(0); p+12 <= uint64(len(buf)); {
		namesz, descsz, typ := uint64(bo.Uint32(buf[p:])), uint64(bo.Uint32(buf[p+4:])), bo.Uint32(buf[p+8:])
		nameAt := p + 12
		// Padding is to the alignment of the offset, not of each size:
		// with 8-byte notes the 12-byte header and a 4-byte name end
		// exactly on a boundary.
		descAt := pad(nameAt + namesz)
		next := pad(descAt + descsz)
		if descAt+descsz > uint64(len(buf)) || nameAt+namesz > uint64(len(buf)) {
			if uint64(len(buf)) < n {
				return nil, nil // past what we read of an oversized note area
			}
			return nil, formatErr(KindELF, "%s: note at %d (name %d bytes, descriptor %d bytes) runs past its end", where, p, namesz, descsz)
		}
		if typ == ntGNUBuildID && bytes.Equal(buf[nameAt:nameAt+namesz], []byte("GNU\x00")) {
			return bytes.Clone(buf[descAt : descAt+descsz]), nil
		}
		p = next
	}
	return nil, nil
}
