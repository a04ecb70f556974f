package emulator

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
)

// The generated family: any number of distinct sandbox task IDs, each
// naming its archive's size and its fault, for benchmarks of many small
// downloads and the fault soak. The form is
//
//	5a11a4c0-SSSS-FFFF-8000-NNNNNNNNNNNN
//
// SSSS is the size of the archive's stored dump in KiB (hexadecimal),
// FFFF the fault (FamilyFault*), and NNNNNNNNNNNN a serial number that
// makes the content, and so the SHA-256, differ from ID to ID. The
// bytes depend on size and serial only, never on the fault, so a faulty
// ID's archive can be checked against the same ID with fault 0000.
// Archives are built per request and not kept, so an emulator that
// serves thousands of them stays the same size.
const familyPrefix = "5a11a4c0-"

// Fault codes of the generated family (the FFFF group).
const (
	FamilyOK       = "0000" // the archive
	FamilyDrop     = "0d00" // odd-numbered requests cut after half the body; ranges work
	Family503      = "0503" // 503 + Retry-After: 1 on 2 of every 3 requests
	FamilyStall    = "057a" // half the body, then silence
	FamilySlow     = "0510" // the body at Options.SlowRate
	FamilyText200  = "0200" // 200 text/plain error body
	FamilyZipSlip  = "0e01" // an extra entry "../evil.txt"
	FamilySymlink  = "0e02" // an extra symlink entry
	FamilyEvilName = "0e03" // Content-Disposition "../../etc/evil-NNNNNNNNNNNN.zip"
)

var familyKinds = map[string]kind{
	FamilyOK:       kindOK,
	FamilyDrop:     kindDropNoRange, // a kind with the per-archive counter; ranges stay on (below)
	Family503:      kind503,
	FamilyStall:    kindStall,
	FamilySlow:     kindSlow,
	FamilyText200:  kindTextOK200,
	FamilyZipSlip:  kindZipSlip,
	FamilySymlink:  kindSymlink,
	FamilyEvilName: kindEvilName,
}

// FamilyTask is the family's task ID for a dump of sizeKiB KiB (at most
// 0xffff), the fault code and serial n.
func FamilyTask(sizeKiB int, fault string, n int64) string {
	return fmt.Sprintf("%s%04x-%s-8000-%012x", familyPrefix, sizeKiB&0xffff, fault, n&0xffffffffffff)
}

// familyMember parses a lower-cased task ID of the family.
func familyMember(id string) (sizeKiB int, k kind, serial int64, ok bool) {
	rest, found := strings.CutPrefix(id, familyPrefix)
	if !found || len(rest) != 27 {
		return 0, 0, 0, false
	}
	size, err1 := strconv.ParseUint(rest[0:4], 16, 16)
	k, known := familyKinds[rest[5:9]]
	n, err2 := strconv.ParseInt(rest[15:], 16, 64)
	if err1 != nil || err2 != nil || !known || rest[10:14] != "8000" {
		return 0, 0, 0, false
	}
	return int(size), k, n, true
}

// familyZip is the archive of a family member: the small report files and
// a stored dump of sizeKiB KiB whose bytes start at a place in the data
// block chosen by the serial number.
func familyZip(sizeKiB int, k kind, serial int64) []byte {
	// The report files name the fault-free ID, so that only the extra
	// entries of the hostile kinds change the bytes.
	files := reportFiles("sandbox", FamilyTask(sizeKiB, FamilyOK, serial))
	blk := dataBlock()
	dump := make([]byte, sizeKiB<<10)
	start := int((serial * 4099) % int64(len(blk)))
	for i := 0; i < len(dump); {
		i += copy(dump[i:], blk[start:])
		start = 0
	}
	files = append(files, zipFile{name: "debug_report/memory.dmp", body: dump, store: true})
	switch k {
	case kindZipSlip:
		files = append(files, zipFile{name: "../evil.txt", body: []byte("written outside the extraction directory\n")})
	case kindSymlink:
		files = append(files, zipFile{name: "debug_report/link", body: []byte("/etc/passwd"), mode: os.ModeSymlink | 0o777})
	}
	return buildZip(files)
}

// serveFamily answers a download of a family member (auth and ID form
// already checked).
func (e *Emulator) serveFamily(w http.ResponseWriter, r *http.Request, id string, sizeKiB int, k kind, serial int64) {
	if k == kindTextOK200 {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("error: report unavailable"))
		return
	}
	p, unavailable := e.faultFor("sandbox/"+id, k, r)
	if unavailable {
		w.Header().Set("Retry-After", "1")
		sandboxErr(w, http.StatusServiceUnavailable, 3, "service temporarily unavailable", "")
		return
	}
	name := "debug_report_" + id + ".zip"
	if k == kindEvilName {
		name = fmt.Sprintf("../../etc/evil-%012x.zip", serial)
	}
	a := &archive{
		body:        bytesContent(familyZip(sizeKiB, k, serial)),
		contentType: "application/zip",
		filename:    name,
		ranges:      true,
		// The bytes follow from the ID alone: the ID is a strong tag.
		etag:    `"` + id + `"`,
		modTime: fixtureTime(),
	}
	serveArchive(w, r, a, p)
}

// FamilyArchive returns the bytes a family member's download delivers
// when it succeeds (what the soak checks saved archives against).
func FamilyArchive(id string) ([]byte, bool) {
	size, k, serial, ok := familyMember(strings.ToLower(id))
	if !ok || k == kindTextOK200 {
		return nil, false
	}
	return familyZip(size, k, serial), true
}
