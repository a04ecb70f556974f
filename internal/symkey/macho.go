package symkey

import (
	"debug/macho"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

const (
	lcUUID = 0x1b
	mhDSYM = 0xa
	// fatMaxArches tells a fat header from a Java class file, which has
	// the same magic followed by its version (45 and up): real universal
	// files have a handful of slices.
	fatMaxArches = 20
)

func isMachO(head []byte) bool {
	if len(head) < 4 {
		return false
	}
	switch binary.BigEndian.Uint32(head) {
	case macho.Magic32, macho.Magic64, 0xcefaedfe, 0xcffaedfe:
		return true
	}
	return false
}

func isFat(head []byte) bool {
	return len(head) >= 8 && binary.BigEndian.Uint32(head) == macho.MagicFat &&
		binary.BigEndian.Uint32(head[4:]) >= 1 && binary.BigEndian.Uint32(head[4:]) < fatMaxArches
}

// checkMachOHeader refuses, before debug/macho allocates for them, load
// commands that the file cannot hold.
func checkMachOHeader(r io.ReaderAt, off, size int64) error {
	var h [32]byte
	if size < 28 {
		return formatErr(KindMachO, "header truncated (%d bytes)", size)
	}
	if _, err := r.ReadAt(h[:28], off); err != nil {
		return formatErr(KindMachO, "reading the header: %v", err)
	}
	var bo binary.ByteOrder = binary.LittleEndian
	magic := binary.LittleEndian.Uint32(h[:])
	if magic == 0xcefaedfe || magic == 0xcffaedfe {
		bo = binary.BigEndian
		magic = binary.BigEndian.Uint32(h[:])
	}
	hdrSize := int64(28)
	if magic == macho.Magic64 {
		hdrSize = 32
	}
	ncmds, sizeofcmds := int64(bo.Uint32(h[16:])), int64(bo.Uint32(h[20:]))
	if hdrSize+sizeofcmds > size {
		return formatErr(KindMachO, "load commands of %d bytes in a %d-byte file", sizeofcmds, size)
	}
	if ncmds > sizeofcmds/8 {
		return formatErr(KindMachO, "%d load commands in %d bytes", ncmds, sizeofcmds)
	}
	return nil
}

// machoKey keys a thin Mach-O file.
func machoKey(r io.ReaderAt, size int64, name string) ([]Key, error) {
	if err := checkMachOHeader(r, 0, size); err != nil {
		return nil, err
	}
	f, err := macho.NewFile(io.NewSectionReader(r, 0, size))
	if err != nil {
		return nil, formatErr(KindMachO, "%s", strings.TrimPrefix(err.Error(), "macho: "))
	}
	k, err := sliceKey(f, name)
	if err != nil {
		return nil, err
	}
	return []Key{k}, nil
}

// fatKey keys each slice of a universal file; each names the whole file.
func fatKey(r io.ReaderAt, size int64, name string) ([]Key, error) {
	var h [8]byte
	if _, err := r.ReadAt(h[:], 0); err != nil {
		return nil, formatErr(KindMachO, "universal header truncated")
	}
	narch := int64(binary.BigEndian.Uint32(h[4:]))
	if 8+narch*20 > size {
		return nil, formatErr(KindMachO, "universal header lists %d slices, the file ends first", narch)
	}
	table := make([]byte, narch*20)
	if _, err := r.ReadAt(table, 8); err != nil {
		return nil, formatErr(KindMachO, "reading the universal header: %v", err)
	}
	for i := range narch {
		off, sz := int64(binary.BigEndian.Uint32(table[20*i+8:])), int64(binary.BigEndian.Uint32(table[20*i+12:]))
		if off+sz > size {
			return nil, formatErr(KindMachO, "universal file: slice %d (%d bytes at %d) runs past the end of the %d-byte file", i, sz, off, size)
		}
		if err := checkMachOHeader(r, off, sz); err != nil {
			return nil, formatErr(KindMachO, "universal file, slice %d: %s", i, err.(*FormatError).Problem)
		}
	}
	ff, err := macho.NewFatFile(io.NewSectionReader(r, 0, size))
	if err != nil {
		return nil, formatErr(KindMachO, "universal file: %s", strings.TrimPrefix(err.Error(), "macho: "))
	}
	var keys []Key
	var skipped []string
	for _, a := range ff.Arches {
		k, err := sliceKey(a.File, name)
		if skip, ok := err.(*SkipError); ok {
			skipped = append(skipped, cpuName(a.Cpu)+": "+skip.Reason)
			continue
		}
		if err != nil {
			return nil, formatErr(KindMachO, "universal file, %s slice: %v", cpuName(a.Cpu), err)
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, &SkipError{Kind: KindMachO, Reason: "no slice has a key (" + strings.Join(skipped, "; ") + ")"}
	}
	return keys, nil
}

// sliceKey: <name>/mach-uuid-<uuid>/<name>, or
// _.dwarf/mach-uuid-sym-<uuid>/_.dwarf for a dSYM's DWARF file.
func sliceKey(f *macho.File, name string) (Key, error) {
	kind := KindMachO
	switch f.Type {
	case macho.TypeExec, macho.TypeDylib, macho.TypeBundle:
	case mhDSYM:
		kind = KindMachODSYM
	default:
		return Key{}, &SkipError{Kind: KindMachO, Reason: fmt.Sprintf("Mach-O file type %v", f.Type)}
	}
	arch := cpuName(f.Cpu)
	for _, l := range f.Loads {
		raw := l.Raw()
		if len(raw) < 8 || f.ByteOrder.Uint32(raw) != lcUUID {
			continue
		}
		if len(raw) < 24 {
			return Key{}, formatErr(kind, "LC_UUID command of %d bytes", len(raw))
		}
		uuid := hex.EncodeToString(raw[8:24])
		if kind == KindMachODSYM {
			return Key{Kind: kind, Arch: arch, ClientKey: "_.dwarf/mach-uuid-sym-" + uuid + "/_.dwarf"}, nil
		}
		return Key{Kind: kind, Arch: arch, ClientKey: name + "/mach-uuid-" + uuid + "/" + name}, nil
	}
	return Key{}, &SkipError{Kind: kind, Reason: "no LC_UUID load command"}
}

func cpuName(c macho.Cpu) string {
	switch c {
	case macho.Cpu386:
		return "i386"
	case macho.CpuAmd64:
		return "x86_64"
	case macho.CpuArm:
		return "arm"
	case macho.CpuArm64:
		return "arm64"
	case macho.CpuPpc:
		return "ppc"
	case macho.CpuPpc64:
		return "ppc64"
	}
	return fmt.Sprintf("cpu%d", uint32(c))
}
