package symkey

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

// Each fuzz target calls a reader without Identify's recover, so a panic
// is a failure, and checks the error is one of the documented kinds.

func checkErr(t *testing.T, err error) {
	t.Helper()
	var fe *FormatError
	var se *SkipError
	if err != nil && err != ErrUnknownKind && !errors.As(err, &fe) && !errors.As(err, &se) {
		t.Fatalf("undocumented error %T: %v", err, err)
	}
}

func seed(f *testing.F) {
	for _, data := range sampleFiles() {
		f.Add(data)
	}
}

// FuzzIdentify: the whole dispatch, including debug/pe, debug/elf and
// debug/macho behind it.
func FuzzIdentify(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		keys, err := keysOf(data, "f")
		checkErr(t, err)
		if err == nil && len(keys) == 0 {
			t.Fatal("no error and no key")
		}
	})
}

// FuzzPDB: the MSF 7.0 reader on anything after a valid magic.
func FuzzPDB(f *testing.F) {
	f.Add(genPDB(pdbSpec{blockSize: 512, guid: make([]byte, 16), infoAge: 2, dbiAge: 3}))
	f.Add(genPDB(pdbSpec{blockSize: 1024, guid: make([]byte, 16), infoAge: 2, noDBI: true}))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) >= len(msf7Magic) {
			data = append(bytes.Clone(msf7Magic), data[len(msf7Magic):]...)
		}
		_, err := pdbKey(bytes.NewReader(data), int64(len(data)), "f")
		checkErr(t, err)
	})
}

// FuzzPortablePDB: the metadata root reader.
func FuzzPortablePDB(f *testing.F) {
	f.Add(genPortablePDB(make([]byte, 16), 7))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := portablePDBKey(bytes.NewReader(data), int64(len(data)), "f")
		checkErr(t, err)
	})
}

// FuzzELFNotes: the note parser, on any bytes as a note area of any
// alignment and byte order.
func FuzzELFNotes(f *testing.F) {
	e := genELF(elfSpec{class64: true, typ: 3, buildID: []byte("0123456789")})
	f.Add(e[64+56:], uint8(4), false)
	f.Add(e[64+56:], uint8(8), true)
	f.Fuzz(func(t *testing.T, notes []byte, align uint8, big bool) {
		var bo binary.ByteOrder = binary.LittleEndian
		if big {
			bo = binary.BigEndian
		}
		id, err := notesAt(bytes.NewReader(notes), int64(len(notes)), bo, 0, uint64(len(notes)), uint64(align), "fuzz")
		checkErr(t, err)
		if len(id) > len(notes) {
			t.Fatal("build id longer than its notes")
		}
	})
}

// FuzzMachO: the thin and fat Mach-O paths on top of debug/macho.
func FuzzMachO(f *testing.F) {
	f.Add(genMachO(machoSlice{cpu: 0x01000007, filetype: 2, uuid: [16]byte{1}}))
	f.Add(genFat(machoSlice{cpu: 0x01000007, filetype: 2}, machoSlice{cpu: 0x0100000c, filetype: 2}))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := machoKey(bytes.NewReader(data), int64(len(data)), "f")
		checkErr(t, err)
		_, err = fatKey(bytes.NewReader(data), int64(len(data)), "f")
		checkErr(t, err)
	})
}
