package symkey

import (
	"encoding/binary"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Keys of files built by real toolchains, each checked against an
// identity read another way: readelf for ELF build ids, objdump and the
// raw header bytes for PE, a hand walk of the load commands for Mach-O.

func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed: skipping the real-toolchain check it makes", name)
	}
	return p
}

func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func keysOfFile(t *testing.T, path string) []Key {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := keysOf(data, Name(path))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return keys
}

var readelfBuildID = regexp.MustCompile(`Build ID: ([0-9a-f]+)`)

// readelfID is the build id as readelf -n prints it, padded as keys are.
func readelfID(t *testing.T, path string) string {
	t.Helper()
	m := readelfBuildID.FindStringSubmatch(run(t, "", nil, "readelf", "-n", path))
	if m == nil {
		t.Fatalf("readelf -n %s shows no build id", path)
	}
	return m[1] + strings.Repeat("0", 40-len(m[1]))
}

func TestRealELF(t *testing.T) {
	needTool(t, "gcc")
	needTool(t, "readelf")
	needTool(t, "objcopy")
	needTool(t, "strip")
	dir := t.TempDir()
	src := filepath.Join(dir, "hello.c")
	if err := os.WriteFile(src, []byte("#include <stdio.h>\nint hello(void){return puts(\"hi\");}\nint main(void){return hello();}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, style := range []string{"sha1", "md5"} {
		t.Run(style, func(t *testing.T) {
			bin := func(name string) string { return filepath.Join(dir, style+"-"+name) }
			run(t, dir, nil, "gcc", "-O1", "-Wl,--build-id="+style, "-o", bin("Hello"), src)
			run(t, dir, nil, "gcc", "-g", "-Wl,--build-id="+style, "-o", bin("hello-g"), src)
			run(t, dir, nil, "gcc", "-shared", "-fPIC", "-Wl,--build-id="+style, "-o", bin("libhello.so"), src)
			run(t, dir, nil, "objcopy", "--only-keep-debug", bin("hello-g"), bin("hello.debug"))
			run(t, dir, nil, "strip", "-o", bin("hello-stripped"), bin("hello-g"))
			noSections := bin("hello-nosections")
			writeWithoutSectionHeaders(t, bin("hello-stripped"), noSections)

			for _, c := range []struct {
				file  string
				debug bool
			}{
				{"Hello", false}, {"libhello.so", false}, {"hello-stripped", false}, {"hello-nosections", false},
				{"hello-g", true}, {"hello.debug", true},
			} {
				path := bin(c.file)
				idSource := path
				if c.file == "hello-nosections" {
					idSource = bin("hello-stripped") // readelf -n needs the sections to name the note
				}
				id := readelfID(t, idSource)
				if style == "md5" && !strings.HasSuffix(id, "00000000") {
					t.Fatalf("md5 build id %s is not padded", id)
				}
				want := Name(path) + "/elf-buildid-" + id + "/" + Name(path)
				if c.debug {
					want = "_.debug/elf-buildid-sym-" + id + "/_.debug"
				}
				keys := keysOfFile(t, path)
				if len(keys) != 1 || keys[0].ClientKey != want {
					t.Errorf("%s: %+v, want %s", c.file, keys, want)
				}
			}
			if keysOfFile(t, bin("hello-g"))[0].ClientKey != keysOfFile(t, bin("hello.debug"))[0].ClientKey {
				t.Error("the unstripped binary and its debug file should share the _.debug key")
			}
		})
	}
}

// writeWithoutSectionHeaders copies an ELF64 little-endian file with
// e_shoff, e_shnum and e_shstrndx zeroed: only the program headers are
// left to find the note, as in files stripped of their section headers.
func writeWithoutSectionHeaders(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if data[4] != 2 || data[5] != 1 {
		t.Skip("the section-header-less check is written for ELF64 little-endian hosts")
	}
	binary.LittleEndian.PutUint64(data[0x28:], 0)
	binary.LittleEndian.PutUint16(data[0x3c:], 0)
	binary.LittleEndian.PutUint16(data[0x3e:], 0)
	if err := os.WriteFile(to, data, 0o755); err != nil {
		t.Fatal(err)
	}
}

// goBuild cross-compiles a tiny program with the installed Go.
func goBuild(t *testing.T, goos, goarch, out string) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: no cross builds")
	}
	gobin := needTool(t, "go")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module hello\n\ngo 1.21\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() { println(\"hello\") }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, dir, []string{"GOOS=" + goos, "GOARCH=" + goarch, "CGO_ENABLED=0", "GOFLAGS=", "GOWORK=off"}, gobin, "build", "-o", out, ".")
}

var objdumpSizeOfImage = regexp.MustCompile(`(?m)^SizeOfImage\s+([0-9a-fA-F]+)`)

func TestRealPE(t *testing.T) {
	exe := filepath.Join(t.TempDir(), "Hello.EXE")
	goBuild(t, "windows", "amd64", exe)
	data, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	// The identity from the raw header bytes: e_lfanew, then the COFF
	// header's TimeDateStamp and the optional header's SizeOfImage.
	lfanew := binary.LittleEndian.Uint32(data[0x3c:])
	stamp := binary.LittleEndian.Uint32(data[lfanew+8:])
	image := binary.LittleEndian.Uint32(data[lfanew+24+56:])
	if _, err := exec.LookPath("objdump"); err == nil {
		m := objdumpSizeOfImage.FindStringSubmatch(run(t, "", nil, "objdump", "-p", exe))
		if m == nil {
			t.Fatal("objdump -p shows no SizeOfImage")
		}
		if v, _ := strconv.ParseUint(m[1], 16, 32); uint32(v) != image {
			t.Fatalf("objdump says SizeOfImage %s, the header bytes %x", m[1], image)
		}
	} else {
		t.Log("objdump not installed: SizeOfImage checked against the raw header only")
	}
	want := "hello.exe/" + strings.ToUpper(hex.EncodeToString(binary.BigEndian.AppendUint32(nil, stamp))) + strconv.FormatUint(uint64(image), 16) + "/hello.exe"
	keys := keysOfFile(t, exe)
	if len(keys) != 1 || keys[0].ClientKey != want || keys[0].Kind != KindPE {
		t.Errorf("%+v, want %s", keys, want)
	}
}

// machoUUID walks a thin 64-bit little-endian Mach-O file's load commands
// by hand for its LC_UUID.
func machoUUID(t *testing.T, data []byte) string {
	t.Helper()
	le := binary.LittleEndian
	if le.Uint32(data) != 0xfeedfacf {
		t.Fatalf("not a 64-bit Mach-O file")
	}
	ncmds := le.Uint32(data[16:])
	off := uint32(32)
	for range ncmds {
		cmd, size := le.Uint32(data[off:]), le.Uint32(data[off+4:])
		if cmd == 0x1b {
			return hex.EncodeToString(data[off+8 : off+24])
		}
		off += size
	}
	t.Fatal("no LC_UUID")
	return ""
}

func TestRealMachO(t *testing.T) {
	dir := t.TempDir()
	amd, arm := filepath.Join(dir, "tool-amd64"), filepath.Join(dir, "tool-arm64")
	goBuild(t, "darwin", "amd64", amd)
	goBuild(t, "darwin", "arm64", arm)
	slices := [][]byte{}
	for _, p := range []string{amd, arm} {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		slices = append(slices, data)
		want := Name(p) + "/mach-uuid-" + machoUUID(t, data) + "/" + Name(p)
		if keys := keysOfFile(t, p); len(keys) != 1 || keys[0].ClientKey != want {
			t.Errorf("%s: %+v, want %s", p, keys, want)
		}
	}
	// A universal file of the two real slices (what lipo -create makes):
	// one key per slice, each with that slice's UUID.
	fat := filepath.Join(dir, "Tool")
	if err := os.WriteFile(fat, fatOf(slices, []uint32{0x01000007, 0x0100000c}), 0o755); err != nil {
		t.Fatal(err)
	}
	keys := keysOfFile(t, fat)
	if len(keys) != 2 {
		t.Fatalf("universal: %+v", keys)
	}
	for i, k := range keys {
		want := "tool/mach-uuid-" + machoUUID(t, slices[i]) + "/tool"
		if k.ClientKey != want || k.Arch != []string{"x86_64", "arm64"}[i] {
			t.Errorf("slice %d: %+v, want %s", i, k, want)
		}
	}
}

// fatOf lays real thin files out as a universal file, 16 KiB aligned.
func fatOf(slices [][]byte, cpus []uint32) []byte {
	const align = 14
	be := binary.BigEndian
	hdr := be.AppendUint32(nil, 0xcafebabe)
	hdr = be.AppendUint32(hdr, uint32(len(slices)))
	off := uint32(1 << align)
	for i, s := range slices {
		for _, v := range []uint32{cpus[i], 0, off, uint32(len(s)), align} {
			hdr = be.AppendUint32(hdr, v)
		}
		next := (off + uint32(len(s)) + (1 << align) - 1) &^ (1<<align - 1)
		off = next
	}
	out := append(hdr, make([]byte, (1<<align)-len(hdr))...)
	for _, s := range slices {
		out = append(out, s...)
		for len(out)%(1<<align) != 0 {
			out = append(out, 0)
		}
	}
	return out
}

// The generated ELF variants are real enough for binutils: readelf finds
// the same build id, in every class and byte order, with and without
// section headers.
func TestGeneratedELFWithReadelf(t *testing.T) {
	needTool(t, "readelf")
	id := []byte{0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	dir := t.TempDir()
	for i, s := range []elfSpec{
		{typ: 2, buildID: id}, {typ: 2, buildID: id, bigEndian: true},
		{class64: true, typ: 3, buildID: id}, {class64: true, typ: 3, buildID: id, bigEndian: true, sections: true},
		{typ: 3, buildID: id, sections: true, debugInfo: ".debug_info"},
	} {
		path := filepath.Join(dir, "f"+strconv.Itoa(i))
		if err := os.WriteFile(path, genELF(s), 0o644); err != nil {
			t.Fatal(err)
		}
		want := readelfID(t, path)
		k := keysOfFile(t, path)[0]
		if !strings.Contains(k.ClientKey, "-"+want+"/") {
			t.Errorf("%+v: key %s, readelf says %s", s, k.ClientKey, want)
		}
	}
}

// llvmTool finds an LLVM tool on PATH or in Debian's /usr/lib/llvm-N/bin.
func llvmTool(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if m, _ := filepath.Glob("/usr/lib/llvm-*/bin/" + name); len(m) > 0 {
		return m[len(m)-1]
	}
	t.Skipf("%s is not installed (apt-get install clang lld): skipping the check it makes", name)
	return ""
}

var objdumpRSDS = regexp.MustCompile(`format RSDS signature ([0-9a-f]{32}) age ([0-9]+)`)

// A real PE and PDB pair from clang and lld-link: the PDB's key must be
// the GUID and age the PE's CodeView record names (as objdump -p prints
// it), and the PE's key the header fields objdump prints.
func TestRealPEAndPDB(t *testing.T) {
	clang := llvmTool(t, "clang")
	lld := llvmTool(t, "lld-link")
	needTool(t, "objdump")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "h.c"), []byte("int helper(int x) { return x * 3; }\nint main(void) { return helper(1); }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, dir, nil, clang, "--target=x86_64-pc-windows-msvc", "-g", "-gcodeview", "-c", "h.c", "-o", "h.obj")
	run(t, dir, nil, lld, "/entry:main", "/subsystem:console", "/nodefaultlib", "/debug", "/pdb:Hello.pdb", "/out:Hello.exe", "h.obj")
	dump := run(t, "", nil, "objdump", "-p", filepath.Join(dir, "Hello.exe"))
	m := objdumpRSDS.FindStringSubmatch(dump)
	if m == nil {
		t.Fatalf("objdump -p shows no RSDS record:\n%s", dump)
	}
	age, _ := strconv.Atoi(m[2])
	wantPDB := "hello.pdb/" + m[1] + strconv.FormatInt(int64(age), 16) + "/hello.pdb"
	if keys := keysOfFile(t, filepath.Join(dir, "Hello.pdb")); len(keys) != 1 || keys[0].ClientKey != wantPDB {
		t.Errorf("PDB: %+v, want %s (from the PE's CodeView record)", keys, wantPDB)
	}
	data, err := os.ReadFile(filepath.Join(dir, "Hello.exe"))
	if err != nil {
		t.Fatal(err)
	}
	lfanew := binary.LittleEndian.Uint32(data[0x3c:])
	stamp := binary.LittleEndian.Uint32(data[lfanew+8:])
	sm := objdumpSizeOfImage.FindStringSubmatch(dump)
	if sm == nil {
		t.Fatal("objdump -p shows no SizeOfImage")
	}
	image, _ := strconv.ParseUint(sm[1], 16, 32)
	wantPE := "hello.exe/" + strings.ToUpper(hex.EncodeToString(binary.BigEndian.AppendUint32(nil, stamp))) + strconv.FormatUint(image, 16) + "/hello.exe"
	if keys := keysOfFile(t, filepath.Join(dir, "Hello.exe")); len(keys) != 1 || keys[0].ClientKey != wantPE {
		t.Errorf("PE: %+v, want %s", keys, wantPE)
	}

	// The same PDB rewritten by llvm-pdbutil with the info stream's age 3
	// and the DBI stream's 26: the key takes the DBI age, which
	// llvm-pdbutil reads back independently.
	pdbutil := llvmTool(t, "llvm-pdbutil")
	yaml := run(t, dir, nil, pdbutil, "pdb2yaml", "-pdb-stream", "-dbi-stream", "Hello.pdb")
	yaml = regexp.MustCompile(`(?m)^(PdbStream:\n  Age: +)1$`).ReplaceAllString(yaml, "${1}3")
	yaml = regexp.MustCompile(`(?m)^(DbiStream:\n  VerHeader: +\w+\n  Age: +)1$`).ReplaceAllString(yaml, "${1}26")
	if err := os.WriteFile(filepath.Join(dir, "aged.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, dir, nil, pdbutil, "yaml2pdb", "-pdb=Aged.pdb", "aged.yaml")
	back := run(t, dir, nil, pdbutil, "pdb2yaml", "-pdb-stream", "-dbi-stream", "Aged.pdb")
	if !regexp.MustCompile(`PdbStream:\n  Age: +3\n`).MatchString(back) || !regexp.MustCompile(`DbiStream:\n  VerHeader: +\w+\n  Age: +26\n`).MatchString(back) {
		t.Fatalf("llvm-pdbutil did not write the ages:\n%s", back)
	}
	wantAged := "aged.pdb/" + m[1] + "1a/aged.pdb"
	if keys := keysOfFile(t, filepath.Join(dir, "Aged.pdb")); len(keys) != 1 || keys[0].ClientKey != wantAged {
		t.Errorf("aged PDB: %+v, want %s", keys, wantAged)
	}
}

var dwarfdumpUUID = regexp.MustCompile(`UUID: ([0-9A-F-]{36}) \((\w+)\)`)

// dwarfdumpUUIDs lists a Mach-O file's UUIDs by architecture, as
// llvm-dwarfdump --uuid prints them.
func dwarfdumpUUIDs(t *testing.T, tool, path string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range dwarfdumpUUID.FindAllStringSubmatch(run(t, "", nil, tool, "--uuid", path), -1) {
		out[m[2]] = strings.ToLower(strings.ReplaceAll(m[1], "-", ""))
	}
	return out
}

// A universal file made by llvm-lipo, and a dSYM made by dsymutil, from
// real Go-built slices; UUIDs read back by llvm-dwarfdump.
func TestRealLipoAndDSYM(t *testing.T) {
	lipo := llvmTool(t, "llvm-lipo")
	dwarfdump := llvmTool(t, "llvm-dwarfdump")
	dir := t.TempDir()
	amd, arm := filepath.Join(dir, "tool-amd64"), filepath.Join(dir, "tool-arm64")
	goBuild(t, "darwin", "amd64", amd)
	goBuild(t, "darwin", "arm64", arm)
	fat := filepath.Join(dir, "Tool")
	run(t, dir, nil, lipo, "-create", amd, arm, "-output", fat)
	uuids := dwarfdumpUUIDs(t, dwarfdump, fat)
	keys := keysOfFile(t, fat)
	if len(keys) != 2 || len(uuids) != 2 {
		t.Fatalf("keys %+v, llvm-dwarfdump %v", keys, uuids)
	}
	for _, k := range keys {
		if want := "tool/mach-uuid-" + uuids[k.Arch] + "/tool"; k.ClientKey != want {
			t.Errorf("%s slice: %s, want %s", k.Arch, k.ClientKey, want)
		}
	}

	dsymutil := llvmTool(t, "dsymutil")
	run(t, dir, nil, dsymutil, arm, "-o", filepath.Join(dir, "tool.dSYM"))
	dwarf := filepath.Join(dir, "tool.dSYM", "Contents", "Resources", "DWARF", "tool-arm64")
	want := "_.dwarf/mach-uuid-sym-" + dwarfdumpUUIDs(t, dwarfdump, dwarf)["arm64"] + "/_.dwarf"
	if keys := keysOfFile(t, dwarf); len(keys) != 1 || keys[0].ClientKey != want || keys[0].Kind != KindMachODSYM {
		t.Errorf("dSYM: %+v, want %s", keys, want)
	}
}
