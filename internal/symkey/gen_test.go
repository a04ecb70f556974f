package symkey

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
)

// Generators of small, well-formed symbol files, laid out as the format
// documents say. They make the committed fixtures in testdata/ (see
// TestFixturesUpToDate and testdata/README.md) and the inputs of tests
// that vary one field at a time.

// le32 appends little-endian uint32s.
func le32(b []byte, vs ...uint32) []byte {
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

// guidBytes stores a GUID as Windows does: three little-endian fields,
// then 8 bytes.
func guidBytes(d1 uint32, d2, d3 uint16, d4 [8]byte) []byte {
	b := binary.LittleEndian.AppendUint32(nil, d1)
	b = binary.LittleEndian.AppendUint16(b, d2)
	b = binary.LittleEndian.AppendUint16(b, d3)
	return append(b, d4[:]...)
}

type pdbSpec struct {
	blockSize uint32
	guid      []byte
	infoAge   uint32
	dbiAge    uint32
	noDBI     bool // no stream 3: the info stream's age applies
}

// genPDB writes an MSF 7.0 container: superblock (block 0), two free block
// maps (1, 2), the block map (3), the stream directory (4), the PDB info
// stream (5) and the DBI stream header (6). Streams 0 and 2 are empty.
func genPDB(s pdbSpec) []byte {
	bs := s.blockSize
	block := func(data []byte) []byte {
		out := make([]byte, bs)
		copy(out, data)
		return out
	}
	info := le32(nil, 20000404, 0x5f3759df, s.infoAge)
	info = append(info, s.guid...)
	dbi := le32(nil, 0xFFFFFFFF, 19990903, s.dbiAge)
	dbi = append(dbi, make([]byte, 64-len(dbi))...)

	var dir []byte
	if s.noDBI {
		dir = le32(nil, 3, 0, uint32(len(info)), 0, 5)
	} else {
		dir = le32(nil, 4, 0, uint32(len(info)), 0, uint32(len(dbi)), 5, 6)
	}
	const numBlocks = 7
	sb := append([]byte{}, msf7Magic...)
	sb = le32(sb, bs, 1, numBlocks, uint32(len(dir)), 0, 3)

	var out []byte
	out = append(out, block(sb)...)
	out = append(out, block(nil)...)
	out = append(out, block(nil)...)
	out = append(out, block(le32(nil, 4))...)
	out = append(out, block(dir)...)
	out = append(out, block(info)...)
	out = append(out, block(dbi)...)
	return out
}

// genPortablePDB writes an ECMA-335 metadata root with a #Pdb stream (the
// 20-byte id, an entry point token, and the referenced-tables mask) and an
// empty #~ stream.
func genPortablePDB(guid []byte, stamp uint32) []byte {
	version := []byte("PDB v1.0\x00\x00\x00\x00")
	b := le32(nil, 0x424A5342)
	b = binary.LittleEndian.AppendUint16(b, 1)
	b = binary.LittleEndian.AppendUint16(b, 1)
	b = le32(b, 0, uint32(len(version)))
	b = append(b, version...)
	b = binary.LittleEndian.AppendUint16(b, 0) // flags
	b = binary.LittleEndian.AppendUint16(b, 2) // streams
	headersLen := 2 * (8 + 8)                  // "#Pdb\0" and "#~\0" padded to 8
	pdbOff := uint32(len(b) + headersLen)
	b = le32(b, pdbOff, 32)
	b = append(b, "#Pdb\x00\x00\x00\x00"...)
	b = le32(b, pdbOff+32, 0)
	b = append(b, "#~\x00\x00\x00\x00\x00\x00"...)
	b = append(b, guid...)
	b = le32(b, stamp, 0) // stamp, entry point
	b = le32(b, 0, 0)     // referenced type system tables
	return b
}

type machoSlice struct {
	cpu, subtype uint32
	filetype     uint32
	uuid         [16]byte
}

// genMachO writes a 64-bit little-endian Mach-O header with one LC_UUID.
func genMachO(s machoSlice) []byte {
	b := le32(nil, 0xfeedfacf, s.cpu, s.subtype, s.filetype, 1, 24, 0, 0)
	b = le32(b, lcUUID, 24)
	return append(b, s.uuid[:]...)
}

// genFat writes a universal file: the big-endian fat header and one slice
// per argument, each at a 4 KiB boundary.
func genFat(slices ...machoSlice) []byte {
	const align = 12
	var hdr, body []byte
	hdr = binary.BigEndian.AppendUint32(hdr, 0xcafebabe)
	hdr = binary.BigEndian.AppendUint32(hdr, uint32(len(slices)))
	off := uint32(1 << align)
	for _, s := range slices {
		m := genMachO(s)
		for _, v := range []uint32{s.cpu, s.subtype, off, uint32(len(m)), align} {
			hdr = binary.BigEndian.AppendUint32(hdr, v)
		}
		pad := int(off) - (1 << align) - len(body)
		body = append(body, make([]byte, pad)...)
		body = append(body, m...)
		off += 1 << align
	}
	out := append(hdr, make([]byte, (1<<align)-len(hdr))...)
	return append(out, body...)
}

type elfSpec struct {
	class64   bool
	bigEndian bool
	typ       uint16
	buildID   []byte // nil: no note
	noteName  string // default "GNU"
	sections  bool   // write section headers (else only the PT_NOTE segment finds the note)
	debugInfo string // a section of this name, e.g. ".debug_info"
}

// genELF writes a minimal ELF file: header, one PT_NOTE program header,
// the note, and optionally section headers for .note.gnu.build-id, a
// debug section and .shstrtab.
func genELF(s elfSpec) []byte {
	var bo binary.AppendByteOrder = binary.LittleEndian
	if s.bigEndian {
		bo = binary.BigEndian
	}
	ehsize, phentsize, shentsize := 52, 32, 40
	class := byte(1)
	machine := uint16(3) // EM_386
	if s.bigEndian {
		machine = 8 // EM_MIPS
	}
	if s.class64 {
		ehsize, phentsize, shentsize, class = 64, 56, 64, 2
		machine = 62 // EM_X86_64
		if s.bigEndian {
			machine = 22 // EM_S390
		}
	}
	pad4 := func(b []byte) []byte {
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
		return b
	}
	name := s.noteName
	if name == "" {
		name = "GNU"
	}
	var note []byte
	if s.buildID != nil {
		note = bo.AppendUint32(note, uint32(len(name)+1))
		note = bo.AppendUint32(note, uint32(len(s.buildID)))
		note = bo.AppendUint32(note, ntGNUBuildID)
		note = pad4(append(note, name+"\x00"...))
		note = pad4(append(note, s.buildID...))
	} else {
		// Another note, so the segment exists but holds no build id.
		note = bo.AppendUint32(note, 4)
		note = bo.AppendUint32(note, 16)
		note = bo.AppendUint32(note, 1) // NT_GNU_ABI_TAG
		note = append(note, "GNU\x00"...)
		note = append(note, make([]byte, 16)...)
	}
	noteOff := ehsize + phentsize
	debugOff := noteOff + len(note)
	debugData := []byte("DWARF?\x00\x00")
	shstr := []byte("\x00.note.gnu.build-id\x00.shstrtab\x00")
	debugName := 0
	if s.debugInfo != "" {
		debugName = len(shstr)
		shstr = append(append(shstr, s.debugInfo...), 0)
	}
	shstrOff := debugOff + len(debugData)
	shOff := (shstrOff + len(shstr) + 7) &^ 7

	word := func(b []byte, v uint64) []byte {
		if s.class64 {
			return bo.AppendUint64(b, v)
		}
		return bo.AppendUint32(b, uint32(v))
	}
	b := []byte{0x7f, 'E', 'L', 'F', class, 1, 1, 0}
	if s.bigEndian {
		b[5] = 2
	}
	b = append(b, make([]byte, 8)...)
	b = bo.AppendUint16(b, s.typ)
	b = bo.AppendUint16(b, machine)
	b = bo.AppendUint32(b, 1)
	b = word(b, 0)              // entry
	b = word(b, uint64(ehsize)) // phoff
	shnum, shstrndx := 0, 0
	if s.sections {
		shnum, shstrndx = 3, 2
		if s.debugInfo != "" {
			shnum, shstrndx = 4, 2
		}
		b = word(b, uint64(shOff))
	} else {
		b = word(b, 0)
	}
	b = bo.AppendUint32(b, 0) // flags
	b = bo.AppendUint16(b, uint16(ehsize))
	b = bo.AppendUint16(b, uint16(phentsize))
	b = bo.AppendUint16(b, 1)
	b = bo.AppendUint16(b, uint16(shentsize))
	b = bo.AppendUint16(b, uint16(shnum))
	b = bo.AppendUint16(b, uint16(shstrndx))

	// PT_NOTE
	if s.class64 {
		b = bo.AppendUint32(b, 4)
		b = bo.AppendUint32(b, 4) // PF_R
		for _, v := range []uint64{uint64(noteOff), 0, 0, uint64(len(note)), uint64(len(note)), 4} {
			b = bo.AppendUint64(b, v)
		}
	} else {
		for _, v := range []uint32{4, uint32(noteOff), 0, 0, uint32(len(note)), uint32(len(note)), 4, 4} {
			b = bo.AppendUint32(b, v)
		}
	}
	b = append(b, note...)
	b = append(b, debugData...)
	b = append(b, shstr...)
	if !s.sections {
		return b
	}
	for len(b) < shOff {
		b = append(b, 0)
	}
	sh := func(name, typ uint32, off, size, align uint64) {
		b = bo.AppendUint32(b, name)
		b = bo.AppendUint32(b, typ)
		b = word(b, 2) // SHF_ALLOC
		b = word(b, 0) // addr
		b = word(b, off)
		b = word(b, size)
		b = bo.AppendUint32(b, 0)
		b = bo.AppendUint32(b, 0)
		b = word(b, align)
		b = word(b, 0)
	}
	b = append(b, make([]byte, shentsize)...)       // SHN_UNDEF
	sh(1, 7, uint64(noteOff), uint64(len(note)), 4) // SHT_NOTE
	sh(20, 3, uint64(shstrOff), uint64(len(shstr)), 1)
	if s.debugInfo != "" {
		sh(uint32(debugName), 1, uint64(debugOff), uint64(len(debugData)), 1) // SHT_PROGBITS
	}
	return b
}

// keysOf runs identify (without Identify's recover, so a panic fails the
// test) on data.
func keysOf(data []byte, name string) ([]Key, error) {
	return identify(bytes.NewReader(data), int64(len(data)), name)
}

// genPE writes a PE image header with no sections: DOS header, "PE\0\0",
// COFF header and a PE32 or PE32+ optional header with 16 data
// directories.
func genPE(stamp, sizeOfImage uint32, plus bool) []byte {
	b := make([]byte, 0x40)
	b[0], b[1] = 'M', 'Z'
	binary.LittleEndian.PutUint32(b[0x3c:], 0x40)
	b = append(b, "PE\x00\x00"...)
	optSize, machine, magic, fixed := 224, uint16(0x14c), uint16(0x10b), 96
	if plus {
		optSize, machine, magic, fixed = 240, 0x8664, 0x20b, 112
	}
	b = binary.LittleEndian.AppendUint16(b, machine)
	b = binary.LittleEndian.AppendUint16(b, 0) // sections
	b = le32(b, stamp, 0, 0)
	b = binary.LittleEndian.AppendUint16(b, uint16(optSize))
	b = binary.LittleEndian.AppendUint16(b, 0x22)
	opt := make([]byte, optSize)
	binary.LittleEndian.PutUint16(opt, magic)
	binary.LittleEndian.PutUint32(opt[56:], sizeOfImage)
	binary.LittleEndian.PutUint32(opt[fixed-4:], 16)
	return append(b, opt...)
}

func hexBytes(s string) ([]byte, error) { return hex.DecodeString(s) }

// sampleFiles is one generated file of each kind, for truncation tests and
// fuzz seeds.
func sampleFiles() map[string][]byte {
	id := []byte("0123456789abcdefghij")
	u := [16]byte{1, 2, 3}
	return map[string][]byte{
		"pdb":       genPDB(pdbSpec{blockSize: 512, guid: make([]byte, 16), infoAge: 2, dbiAge: 3}),
		"pdb-nodbi": genPDB(pdbSpec{blockSize: 512, guid: make([]byte, 16), infoAge: 2, noDBI: true}),
		"portable":  genPortablePDB(make([]byte, 16), 1),
		"pe32":      genPE(1, 2, false),
		"pe32+":     genPE(1, 2, true),
		"elf32be":   genELF(elfSpec{bigEndian: true, typ: 2, buildID: id, sections: true, debugInfo: ".debug_info"}),
		"elf64":     genELF(elfSpec{class64: true, typ: 3, buildID: id}),
		"macho":     genMachO(machoSlice{cpu: 0x01000007, filetype: 2, uuid: u}),
		"fat":       genFat(machoSlice{cpu: 0x01000007, filetype: 2, uuid: u}, machoSlice{cpu: 0x0100000c, filetype: 2, uuid: u}),
	}
}
