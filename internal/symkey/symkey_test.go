package symkey

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

var factsGUID = guidBytes(0x497B72F6, 0x390A, 0x44FC, [8]byte{0x87, 0x8E, 0x5A, 0x2D, 0x63, 0xB6, 0xCC, 0x4B})

func oneKey(t *testing.T, data []byte, name string) Key {
	t.Helper()
	keys, err := keysOf(data, name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(keys) != 1 {
		t.Fatalf("%s: %d keys", name, len(keys))
	}
	return keys[0]
}

// The examples of FACTS.md section 3.
func TestFactsExamples(t *testing.T) {
	pdb := genPDB(pdbSpec{blockSize: 512, guid: factsGUID, infoAge: 1, noDBI: true})
	if k := oneKey(t, pdb, "foo.pdb"); k.ClientKey != "foo.pdb/497b72f6390a44fc878e5a2d63b6cc4b1/foo.pdb" || k.Kind != KindPDB {
		t.Errorf("PDB: %+v", k)
	}
	pe := genPE(0x542d5742, 0x32000, false)
	if k := oneKey(t, pe, Name("/x/Foo.exe")); k.ClientKey != "foo.exe/542D574232000/foo.exe" || k.Kind != KindPE {
		t.Errorf("PE32: %+v", k)
	}
	pe = genPE(0x0000a, 0x1000, true)
	if k := oneKey(t, pe, "a.dll"); k.ClientKey != "a.dll/0000000A1000/a.dll" {
		t.Errorf("PE32+: %+v", k)
	}
	id, _ := hexBytes("180a373d6afbabf0eb1f09be1bc45bd796a71085")
	elf := genELF(elfSpec{class64: true, typ: 3, buildID: id, sections: true})
	if k := oneKey(t, elf, "foo.so"); k.ClientKey != "foo.so/elf-buildid-180a373d6afbabf0eb1f09be1bc45bd796a71085/foo.so" || k.Kind != KindELF {
		t.Errorf("ELF: %+v", k)
	}
	elf = genELF(elfSpec{class64: true, typ: 3, buildID: id[:16], sections: true})
	if k := oneKey(t, elf, "foo.so"); k.ClientKey != "foo.so/elf-buildid-180a373d6afbabf0eb1f09be1bc45bd700000000/foo.so" {
		t.Errorf("ELF 16-byte id: %+v", k)
	}
}

func TestPDBAge(t *testing.T) {
	for _, bs := range []uint32{512, 1024, 4096} {
		pdb := genPDB(pdbSpec{blockSize: bs, guid: factsGUID, infoAge: 3, dbiAge: 0x1a})
		if k := oneKey(t, pdb, "x.pdb"); k.ClientKey != "x.pdb/497b72f6390a44fc878e5a2d63b6cc4b1a/x.pdb" {
			t.Errorf("block size %d: %s, want the DBI age 1a", bs, k.ClientKey)
		}
	}
}

func TestPDBCorrupt(t *testing.T) {
	good := genPDB(pdbSpec{blockSize: 512, guid: factsGUID, infoAge: 3, dbiAge: 5})
	cases := map[string]func([]byte) []byte{
		"truncated to the superblock": func(b []byte) []byte { return b[:100] },
		"truncated mid-stream":        func(b []byte) []byte { return b[:5*512+10] },
		"block size 3":                func(b []byte) []byte { binary.LittleEndian.PutUint32(b[32:], 3); return b },
		"block map outside":           func(b []byte) []byte { binary.LittleEndian.PutUint32(b[52:], 99); return b },
		"huge directory":              func(b []byte) []byte { binary.LittleEndian.PutUint32(b[44:], 0xFFFFFFF0); return b },
		"huge stream count":           func(b []byte) []byte { binary.LittleEndian.PutUint32(b[4*512:], 0x7FFFFFFF); return b },
		"stream block 0":              func(b []byte) []byte { binary.LittleEndian.PutUint32(b[4*512+20:], 0); return b },
		"stream block past the end":   func(b []byte) []byte { binary.LittleEndian.PutUint32(b[4*512+20:], 1000); return b },
		"info stream too short":       func(b []byte) []byte { binary.LittleEndian.PutUint32(b[4*512+8:], 10); return b },
		"DBI signature":               func(b []byte) []byte { binary.LittleEndian.PutUint32(b[6*512:], 7); return b },
	}
	for name, corrupt := range cases {
		data := corrupt(bytes.Clone(good))
		_, err := keysOf(data, "x.pdb")
		var fe *FormatError
		if !errors.As(err, &fe) || fe.Kind != KindPDB || !strings.HasPrefix(err.Error(), "Windows PDB: ") {
			t.Errorf("%s: %v, want a PDB format error", name, err)
		}
	}
}

// Every truncation of every generated file gives a key, or one of the
// three documented errors: never a panic (keysOf does not recover) and
// never a bare I/O error.
func TestTruncations(t *testing.T) {
	for name, data := range sampleFiles() {
		if _, err := keysOf(data, name); err != nil {
			t.Fatalf("%s whole: %v", name, err)
		}
		formatErrors := 0
		for n := 0; n < len(data); n++ {
			_, err := keysOf(data[:n], name)
			var fe *FormatError
			var se *SkipError
			switch {
			case err == nil, err == ErrUnknownKind, errors.As(err, &se):
			case errors.As(err, &fe):
				formatErrors++
			default:
				t.Fatalf("%s cut to %d bytes: unexpected error %T %v", name, n, err, err)
			}
		}
		if formatErrors == 0 {
			t.Errorf("%s: no truncation was reported as corrupt", name)
		}
	}
}

func TestPortablePDB(t *testing.T) {
	g := guidBytes(0x12345678, 0x9abc, 0xdef0, [8]byte{1, 2, 3, 4, 5, 6, 7, 8})
	k := oneKey(t, genPortablePDB(g, 0x11223344), "lib.pdb")
	if k.ClientKey != "lib.pdb/123456789abcdef00102030405060708FFFFFFFF/lib.pdb" || k.Kind != KindPortablePDB {
		t.Errorf("%+v", k)
	}
	// Metadata without #Pdb (a bare .winmd-style blob) is not a PDB.
	noPdb := genPortablePDB(g, 1)
	copy(noPdb[bytes.Index(noPdb, []byte("#Pdb")):], "#Blb")
	if _, err := keysOf(noPdb, "x"); err != ErrUnknownKind {
		t.Errorf("no #Pdb: %v", err)
	}
	bad := genPortablePDB(g, 1)
	binary.LittleEndian.PutUint32(bad[12:], 1<<20)
	var fe *FormatError
	if _, err := keysOf(bad, "x"); !errors.As(err, &fe) {
		t.Errorf("huge version length: %v", err)
	}
}

func TestELFVariants(t *testing.T) {
	id, _ := hexBytes("0123456789abcdef0123456789abcdef01234567")
	want := "f/elf-buildid-0123456789abcdef0123456789abcdef01234567/f"
	for _, c64 := range []bool{false, true} {
		for _, be := range []bool{false, true} {
			for _, sections := range []bool{false, true} {
				for _, typ := range []uint16{1, 2, 3, 0xfe00} {
					s := elfSpec{class64: c64, bigEndian: be, typ: typ, buildID: id, sections: sections}
					if k := oneKey(t, genELF(s), "f"); k.ClientKey != want {
						t.Errorf("%+v: %s", s, k.ClientKey)
					}
				}
				for _, dbg := range []string{".debug_info", ".zdebug_info", ".debug_info.dwo"} {
					s := elfSpec{class64: c64, bigEndian: be, typ: 3, buildID: id, sections: true, debugInfo: dbg}
					k := oneKey(t, genELF(s), "f")
					if k.ClientKey != "_.debug/elf-buildid-sym-0123456789abcdef0123456789abcdef01234567/_.debug" || k.Kind != KindELFDebug {
						t.Errorf("%+v: %+v", s, k)
					}
				}
			}
		}
	}
	skips := map[string]elfSpec{
		"core file":                  {class64: true, typ: 4, buildID: id, sections: true},
		"ELF type ET_NONE":           {class64: true, typ: 0, buildID: id},
		"no GNU build id note":       {class64: true, typ: 3, sections: true},
		"build id of 7 bytes":        {class64: true, typ: 3, buildID: id[:7]},
		"build id of 21 bytes":       {class64: true, typ: 3, buildID: append(bytes.Clone(id), 1)},
		"no GNU build id note (BSD)": {class64: true, typ: 3, buildID: id, noteName: "BSD"},
	}
	for reason, s := range skips {
		_, err := keysOf(genELF(s), "f")
		var se *SkipError
		if !errors.As(err, &se) || !strings.HasPrefix(se.Reason, strings.Split(reason, " (")[0]) {
			t.Errorf("%s: %v", reason, err)
		}
	}
	// A note segment that claims more than the file holds.
	data := genELF(elfSpec{class64: true, typ: 3, buildID: id})
	binary.LittleEndian.PutUint64(data[64+32:], 1<<40) // p_filesz
	var fe *FormatError
	if _, err := keysOf(data, "f"); !errors.As(err, &fe) || !strings.Contains(err.Error(), "past the end") {
		t.Errorf("oversized PT_NOTE: %v", err)
	}
	// A note whose descriptor runs past its segment.
	data = genELF(elfSpec{class64: true, typ: 3, buildID: id})
	binary.LittleEndian.PutUint32(data[64+56+4:], 200) // descsz
	if _, err := keysOf(data, "f"); !errors.As(err, &fe) {
		t.Errorf("descriptor past the note: %v", err)
	}
}

func TestMachO(t *testing.T) {
	u := [16]byte{0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	exe := genMachO(machoSlice{cpu: 0x01000007, subtype: 3, filetype: 2, uuid: u})
	if k := oneKey(t, exe, "tool"); k.ClientKey != "tool/mach-uuid-deadbeef0102030405060708090a0b0c/tool" || k.Arch != "x86_64" || k.Label() != "mach-o x86_64" {
		t.Errorf("exe: %+v", k)
	}
	dsym := genMachO(machoSlice{cpu: 0x0100000c, filetype: mhDSYM, uuid: u})
	if k := oneKey(t, dsym, "tool"); k.ClientKey != "_.dwarf/mach-uuid-sym-deadbeef0102030405060708090a0b0c/_.dwarf" || k.Kind != KindMachODSYM {
		t.Errorf("dSYM: %+v", k)
	}
	obj := genMachO(machoSlice{cpu: 0x0100000c, filetype: 1, uuid: u})
	var se *SkipError
	if _, err := keysOf(obj, "x.o"); !errors.As(err, &se) {
		t.Errorf("object: %v", err)
	}
	// A Java class file shares the fat magic.
	class := []byte{0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52, 0, 0, 0, 0}
	if _, err := keysOf(class, "A.class"); err != ErrUnknownKind {
		t.Errorf("Java class: %v", err)
	}
}

func TestUnknown(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty": nil, "text": []byte("hello, world\n"), "DOS program": append([]byte("MZ"), make([]byte, 100)...),
	} {
		if _, err := keysOf(data, name); err != ErrUnknownKind {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestNameAndOtherKey(t *testing.T) {
	if Name("dir/Sub/Foo.DLL") != "foo.dll" {
		t.Error(Name("dir/Sub/Foo.DLL"))
	}
	sum, _ := hexBytes("a9993e364706816aba3e25717850c26c9cd0d89d")
	if got := OtherKey("abc.txt", sum); got != "abc.txt/sha1-a9993e364706816aba3e25717850c26c9cd0d89d/abc.txt" {
		t.Error(got)
	}
}

func TestIdentifyRecoversPanics(t *testing.T) {
	keys, err := Identify(panicReader{}, 100, "x")
	var fe *FormatError
	if keys != nil || !errors.As(err, &fe) || !strings.Contains(err.Error(), "boom") {
		t.Errorf("%v %v", keys, err)
	}
}

type panicReader struct{}

func (panicReader) ReadAt([]byte, int64) (int, error) { panic("boom") }
