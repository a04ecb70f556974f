package download

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/diagctl/diagctl/internal/exit"
)

// downloadAndExtract serves data and runs a download with --extract.
func downloadAndExtract(t *testing.T, data []byte, force bool, prepare func(dest string), lim ...zipLimits) (Result, string, string) {
	t.Helper()
	srv := (&server{t: t, data: data, disposition: "attachment; filename=a.zip"}).start()
	dir := t.TempDir()
	dest := filepath.Join(t.TempDir(), "out")
	if prepare != nil {
		prepare(dest)
	}
	opts, _ := testOptions(t, dir)
	opts.Extract, opts.Force = dest, force
	if len(lim) > 0 {
		opts.limits = lim[0]
	}
	return one(t, context.Background(), srv.source(testID), opts), dir, dest
}

func TestExtract(t *testing.T) {
	t.Parallel()
	data := makeZip(t,
		zipEntry{name: "logs/"},
		zipEntry{name: "logs/app.log", body: []byte("line 1\nline 2\n"), mode: 0o755},
		zipEntry{name: "deep/er/x.txt", body: bytes.Repeat([]byte("x"), 5000)},
		zipEntry{name: `win\style.txt`, body: []byte("w")},
	)
	res, dir, dest := downloadAndExtract(t, data, false, nil)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if res.Path != filepath.Join(dir, "a.zip") {
		t.Errorf("path %s", res.Path)
	}
	for name, want := range map[string]string{"logs/app.log": "line 1\nline 2\n", "deep/er/x.txt": strings.Repeat("x", 5000), "win/style.txt": "w"} {
		p := filepath.Join(dest, filepath.FromSlash(name))
		got, err := os.ReadFile(p)
		if err != nil || string(got) != want {
			t.Errorf("%s: %q, %v", name, got, err)
		}
		fi, _ := os.Stat(p)
		if fi != nil && fi.Mode().Perm()&^0o644 != 0 {
			t.Errorf("%s: mode %v, want at most 0644 (archive modes are ignored)", name, fi.Mode())
		}
	}

	t.Run("existing file without force", func(t *testing.T) {
		res, _, dest := downloadAndExtract(t, data, false, func(dest string) {
			os.MkdirAll(filepath.Join(dest, "logs"), 0o755)
			os.WriteFile(filepath.Join(dest, "logs", "app.log"), []byte("mine"), 0o644)
		})
		if res.Err == nil || !strings.Contains(res.Err.Error(), "use --force to overwrite") || exit.Code(res.Err) != exit.Failure {
			t.Fatalf("err = %v", res.Err)
		}
		if res.Path == "" || res.SHA256 == "" {
			t.Error("the archive result was lost")
		}
		if _, err := os.Stat(filepath.Join(dest, "deep")); err == nil {
			t.Error("something was written before refusing")
		}
		if got, _ := os.ReadFile(filepath.Join(dest, "logs", "app.log")); string(got) != "mine" {
			t.Error("existing file touched")
		}
	})
	t.Run("existing file with force", func(t *testing.T) {
		res, _, dest := downloadAndExtract(t, data, true, func(dest string) {
			os.MkdirAll(filepath.Join(dest, "logs"), 0o755)
			os.WriteFile(filepath.Join(dest, "logs", "app.log"), []byte("mine"), 0o644)
		})
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		if got, _ := os.ReadFile(filepath.Join(dest, "logs", "app.log")); string(got) != "line 1\nline 2\n" {
			t.Error("not overwritten")
		}
	})
	t.Run("symlink in the destination is never followed", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("symbolic links need privileges on Windows")
		}
		outside := t.TempDir()
		for _, force := range []bool{false, true} {
			res, _, _ := downloadAndExtract(t, data, force, func(dest string) {
				os.MkdirAll(dest, 0o755)
				os.Symlink(outside, filepath.Join(dest, "logs"))
			})
			if res.Err == nil || !strings.Contains(res.Err.Error(), "symbolic link") {
				t.Errorf("force=%v: err = %v", force, res.Err)
			}
		}
		// A link where a file goes: with force the link itself is replaced.
		target := filepath.Join(outside, "victim")
		os.WriteFile(target, []byte("victim"), 0o644)
		res, _, dest := downloadAndExtract(t, data, true, func(dest string) {
			os.MkdirAll(filepath.Join(dest, "logs"), 0o755)
			os.Symlink(target, filepath.Join(dest, "logs", "app.log"))
		})
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		if got, _ := os.ReadFile(target); string(got) != "victim" {
			t.Error("wrote through a symlink")
		}
		if fi, _ := os.Lstat(filepath.Join(dest, "logs", "app.log")); fi == nil || !fi.Mode().IsRegular() {
			t.Error("link not replaced by a file")
		}
	})
}

func TestExtractRefuses(t *testing.T) {
	t.Parallel()
	symlink := makeZip(t, zipEntry{name: "ok.txt", body: []byte("ok")}, zipEntry{name: "link", body: []byte("/etc/passwd"), mode: os.ModeSymlink | 0o777})
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"zip-slip", makeZip(t, zipEntry{name: "ok.txt", body: []byte("ok")}, zipEntry{name: "a/../../evil.txt", body: []byte("evil")}), "outside the destination"},
		{"dotdot", makeZip(t, zipEntry{name: "ok.txt"}, zipEntry{name: "..", body: nil}), "outside the destination"},
		{"backslash slip", makeZip(t, zipEntry{name: "ok.txt"}, zipEntry{name: `..\evil.txt`, body: []byte("evil")}), "outside the destination"},
		{"absolute", makeZip(t, zipEntry{name: "ok.txt"}, zipEntry{name: "/tmp/evil.txt", body: []byte("evil")}), "absolute path"},
		{"drive letter", makeZip(t, zipEntry{name: "ok.txt"}, zipEntry{name: "C:/evil.txt", body: []byte("evil")}), "absolute path"},
		{"symlink", symlink, "symbolic link"},
		{"fifo", makeZip(t, zipEntry{name: "ok.txt"}, zipEntry{name: "pipe", mode: os.ModeNamedPipe | 0o644}), "not a regular file"},
		{"duplicate", makeZip(t, zipEntry{name: "ok.txt"}, zipEntry{name: "ok.txt"}), "twice"},
		{"file and dir", makeZip(t, zipEntry{name: "a"}, zipEntry{name: "a/b"}), "file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, dir, dest := downloadAndExtract(t, tc.data, true, nil)
			if res.Err == nil || !strings.Contains(res.Err.Error(), tc.want) || exit.Code(res.Err) != exit.Failure {
				t.Fatalf("err = %v, want %q", res.Err, tc.want)
			}
			if exit.Hint(res.Err) == "" {
				t.Error("no hint")
			}
			// The archive is kept, nothing was unpacked.
			if _, err := os.Stat(filepath.Join(dir, "a.zip")); err != nil {
				t.Error("archive not kept")
			}
			if ents, _ := os.ReadDir(dest); len(ents) != 0 {
				t.Errorf("extracted %v before refusing", ents)
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(dest), "evil.txt")); err == nil {
				t.Error("escaped")
			}
		})
	}
}

func TestExtractZipBomb(t *testing.T) {
	t.Parallel()
	lim := defaultLimits
	lim.ratioFreeTotal = 1 << 20
	data := makeZip(t, zipEntry{name: "zeros", body: make([]byte, 8<<20)}) // ~8 KiB archive
	res, _, dest := downloadAndExtract(t, data, false, nil, lim)
	if res.Err == nil || !strings.Contains(res.Err.Error(), "ZIP-bomb") {
		t.Fatalf("err = %v", res.Err)
	}
	if ents, _ := os.ReadDir(dest); len(ents) != 0 {
		t.Error("wrote before refusing")
	}

	t.Run("absolute ceiling", func(t *testing.T) {
		lim := defaultLimits
		lim.total = 1 << 20
		data := randomZip(t, 2<<20, 2)
		res, _, _ := downloadAndExtract(t, data, false, nil, lim)
		if res.Err == nil || !strings.Contains(res.Err.Error(), "ZIP-bomb") {
			t.Fatalf("err = %v", res.Err)
		}
	})
}

// rawZip writes entries whose central directory says what we want,
// whatever the content really is.
func rawZip(t *testing.T, entries ...struct {
	name     string
	content  []byte
	declared uint64
	crc      uint32
}) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		var comp bytes.Buffer
		fw, _ := flate.NewWriter(&comp, flate.BestSpeed)
		fw.Write(e.content)
		fw.Close()
		w, err := zw.CreateRaw(&zip.FileHeader{Name: e.name, Method: zip.Deflate, CRC32: e.crc,
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: e.declared})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(comp.Bytes())
	}
	zw.Close()
	return buf.Bytes()
}

type rawEntry = struct {
	name     string
	content  []byte
	declared uint64
	crc      uint32
}

func TestExtractSizesAndCRC(t *testing.T) {
	t.Parallel()
	good := []byte("good content")
	big := bytes.Repeat([]byte("A"), 100000)
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"larger than declared", rawZip(t,
			rawEntry{"first.txt", good, uint64(len(good)), crc32.ChecksumIEEE(good)},
			rawEntry{"liar.txt", big, 10, crc32.ChecksumIEEE(big)}), "more than the 10 bytes it declares"},
		{"bad crc", rawZip(t,
			rawEntry{"first.txt", good, uint64(len(good)), crc32.ChecksumIEEE(good)},
			rawEntry{"sub/bad.txt", good, uint64(len(good)), 12345}), "checksum"},
		{"smaller than declared", rawZip(t,
			rawEntry{"first.txt", good, uint64(len(good)), crc32.ChecksumIEEE(good)},
			rawEntry{"short.txt", good, 1000, crc32.ChecksumIEEE(good)}), "damaged"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, _, dest := downloadAndExtract(t, tc.data, false, nil)
			if res.Err == nil || !strings.Contains(res.Err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", res.Err, tc.want)
			}
			// What was written before the failure is rolled back.
			if ents, _ := os.ReadDir(dest); len(ents) != 0 {
				t.Errorf("left behind: %v", ents)
			}
		})
	}
}

func TestExtractSeveralIntoIDDirs(t *testing.T) {
	t.Parallel()
	data := makeZip(t, zipEntry{name: "same.txt", body: []byte("x")})
	srv := (&server{t: t, data: data}).start()
	dir, dest := t.TempDir(), t.TempDir()
	opts, _ := testOptions(t, dir)
	opts.Extract = dest
	results := Run(context.Background(), []Source{srv.source("one"), srv.source("two")}, opts)
	for _, r := range results {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		if _, err := os.Stat(filepath.Join(dest, r.ID, "same.txt")); err != nil {
			t.Error(err)
		}
	}
}
