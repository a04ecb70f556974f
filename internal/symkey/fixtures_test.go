package symkey

import (
	"bufio"
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated fixtures in testdata/")

// fixtures are the committed files of testdata/ and how each is made (see
// testdata/README.md); their keys are in testdata/keys.txt.
var fixtures = map[string]func() []byte{
	// A Windows PDB whose DBI stream says age 0x1a while the info stream
	// says 3 (as after incremental links), 4 KiB blocks.
	"Age26.pdb": func() []byte {
		return genPDB(pdbSpec{blockSize: 4096, guid: factsGUID, infoAge: 3, dbiAge: 0x1a})
	},
	// A Portable PDB: metadata root, #Pdb and #~ streams.
	"Portable.pdb": func() []byte {
		return genPortablePDB(guidBytes(0xC0FFEE01, 0x1234, 0x5678, [8]byte{0x9a, 0xbc, 0xde, 0xf0, 0x11, 0x22, 0x33, 0x44}), 0x6543210f)
	},
	// An ELF64 shared object with a 20-byte build id, and its debug file
	// (same id, a .debug_info section).
	"libhello.so": func() []byte {
		return genELF(elfSpec{class64: true, typ: 3, buildID: fixtureBuildID, sections: true})
	},
	"libhello.so.debug": func() []byte {
		return genELF(elfSpec{class64: true, typ: 3, buildID: fixtureBuildID, sections: true, debugInfo: ".debug_info"})
	},
	// A PE32+ image header (no sections).
	"Tool.exe": func() []byte { return genPE(0x542d5742, 0x32000, true) },
	// A universal Mach-O file: an x86_64 and an arm64 executable slice.
	"universal": func() []byte {
		return genFat(
			machoSlice{cpu: 0x01000007, subtype: 3, filetype: 2, uuid: [16]byte{0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x33, 0x33, 0x44, 0x44, 0x55, 0x55, 0x55, 0x55, 0x55, 0x01}},
			machoSlice{cpu: 0x0100000c, subtype: 0, filetype: 2, uuid: [16]byte{0xaa, 0xaa, 0xaa, 0xaa, 0xbb, 0xbb, 0xcc, 0xcc, 0xdd, 0xdd, 0xee, 0xee, 0xee, 0xee, 0xee, 0x02}},
		)
	},
}

var fixtureBuildID = []byte{0x18, 0x0a, 0x37, 0x3d, 0x6a, 0xfb, 0xab, 0xf0, 0xeb, 0x1f, 0x09, 0xbe, 0x1b, 0xc4, 0x5b, 0xd7, 0x96, 0xa7, 0x10, 0x85}

// corruptFixtures are committed broken files (for the command's tests)
// and the problem each must be reported with.
var corruptFixtures = map[string]struct {
	gen     func() []byte
	problem string
}{
	// Age26.pdb cut after its stream directory.
	"Truncated.pdb": {func() []byte { return fixtures["Age26.pdb"]()[:5*4096+100] }, "Windows PDB: truncated"},
}

func TestCorruptFixtures(t *testing.T) {
	for name, c := range corruptFixtures {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil || !bytes.Equal(data, c.gen()) {
			t.Fatalf("%s missing or stale (%v): run go test -run TestFixturesUpToDate -update ./internal/symkey/", name, err)
		}
		_, err = Identify(bytes.NewReader(data), int64(len(data)), Name(name))
		if err == nil || !strings.HasPrefix(err.Error(), c.problem) {
			t.Errorf("%s: %v, want %q...", name, err, c.problem)
		}
	}
}

func TestFixturesUpToDate(t *testing.T) {
	for name, c := range corruptFixtures {
		if *update {
			if err := os.WriteFile(filepath.Join("testdata", name), c.gen(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, gen := range fixtures {
		path := filepath.Join("testdata", name)
		want := gen()
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go test -run TestFixturesUpToDate -update ./internal/symkey/ writes it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from its generator: run go test -run TestFixturesUpToDate -update ./internal/symkey/", path)
		}
	}
}

// TestFixtureKeys checks every file listed in testdata/keys.txt gives
// exactly the keys listed (one line per key; a fat file has several).
func TestFixtureKeys(t *testing.T) {
	f, err := os.Open("testdata/keys.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string][]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		file, key, ok := strings.Cut(line, " ")
		if !ok {
			t.Fatalf("bad line %q", line)
		}
		want[file] = append(want[file], strings.TrimSpace(key))
	}
	for name := range fixtures {
		if want[name] == nil {
			t.Errorf("keys.txt does not list the fixture %s", name)
		}
	}
	for file, keys := range want {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		got, err := Identify(bytes.NewReader(data), int64(len(data)), Name(file))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		var gotKeys []string
		for _, k := range got {
			gotKeys = append(gotKeys, k.ClientKey)
		}
		if strings.Join(gotKeys, "\n") != strings.Join(keys, "\n") {
			t.Errorf("%s: got\n%s\nwant\n%s", file, strings.Join(gotKeys, "\n"), strings.Join(keys, "\n"))
		}
	}
}
