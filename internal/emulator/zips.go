package emulator

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"time"
)

// blockSize is the length of the repeating block archive data is made of.
// 1 MiB is large enough that the big archive goes out in 1 MiB writes and
// small enough to build in about a millisecond.
const blockSize = 1 << 20

var (
	blockOnce sync.Once
	block     []byte
)

// dataBlock returns the shared block of pseudo-random bytes, made on first
// use. Random-looking data keeps "compressed" sizes honest and makes a
// mis-resumed download show up as a CRC error.
func dataBlock() []byte {
	blockOnce.Do(func() {
		b := make([]byte, blockSize)
		x := uint64(0x9E3779B97F4A7C15)
		for i := 0; i < len(b); i += 8 {
			// xorshift64*: fast, deterministic, good enough to look random.
			x ^= x >> 12
			x ^= x << 25
			x ^= x >> 27
			v := x * 0x2545F4914F6CDD1D
			for j := 0; j < 8; j++ {
				b[i+j] = byte(v >> (8 * j))
			}
		}
		block = b
	})
	return block
}

// fixtureTime is the modification time of every fixture archive and its
// entries, so that ETag and Last-Modified are stable across runs.
func fixtureTime() time.Time { return time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC) }

type zipFile struct {
	name  string
	body  []byte
	mode  fs.FileMode // 0 means 0644
	store bool        // stored, not deflated (the large fixtures)
}

// buildZip writes files into a ZIP archive in memory.
func buildZip(files []zipFile) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		h := &zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: fixtureTime()}
		if f.store {
			h.Method = zip.Store
		}
		mode := f.mode
		if mode == 0 {
			mode = 0o644
		}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			panic(err) // only on a bug in the fixtures: names and sizes are ours
		}
		_, _ = w.Write(f.body)
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// reportFiles are the ~3 files of a small debug report or log archive.
func reportFiles(service, id string) []zipFile {
	if service == "logs" {
		return []zipFile{
			{name: "summary.json", body: fmt.Appendf(nil, "{\"sub_job_id\":%q,\"status\":\"success\",\"defects\":3}\n", id)},
			{name: "logs/check.log", body: fmt.Appendf(nil, "[INFO] sub job %s started\n[INFO] 1532 files scanned\n[WARN] 3 defects found\n[INFO] sub job finished\n", id)},
			{name: "logs/rules.csv", body: []byte("rule,severity,count\nG.FMT.01,minor,2\nG.ERR.03,major,1\n")},
		}
	}
	return []zipFile{
		{name: "debug_report/summary.json", body: fmt.Appendf(nil, "{\"task_id\":%q,\"state\":\"completed\",\"debug_report\":true}\n", id)},
		{name: "debug_report/execution.log", body: fmt.Appendf(nil, "00:00:00.000 task %s: guest started\n00:00:01.250 sample.exe: process created\n00:01:00.000 task finished\n", id)},
		{name: "debug_report/environment.txt", body: []byte("os: Windows 10 x64\nagent: 5.1.0.3022\ntimeout: 60s\n")},
	}
}

// fixtureZip builds the archive for a fixture kind. Large kinds carry stored
// random data so their size is what the fault needs (about 1 or 2 MiB).
func fixtureZip(service, id string, k kind) []byte {
	files := reportFiles(service, id)
	switch k {
	case kindDropOnce, kindDropNoRange, kindStall:
		files = append(files, zipFile{name: "memory.dmp", body: dataBlock(), store: true})
	case kindSlow:
		files = append(files, zipFile{name: "memory.dmp", body: bytes.Repeat(dataBlock(), 2), store: true})
	case kindZipSlip:
		files = append(files, zipFile{name: "../evil.txt", body: []byte("written outside the extraction directory\n")})
	case kindSymlink:
		files = append(files, zipFile{name: "debug_report/link", body: []byte("/etc/passwd"), mode: os.ModeSymlink | 0o777})
	}
	return buildZip(files)
}
