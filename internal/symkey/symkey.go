// Package symkey finds the client keys a debugger looks symbol files up
// by (the SSQP conventions of Microsoft's symbol server, FACTS.md section
// 3). A file's kind comes from its content, never its name: PE, Windows
// PDB (MSF 7.0), Portable PDB, ELF and Mach-O (thin or fat).
//
// Every reader is bounded by the file: a truncated or hostile file gives a
// *FormatError, never a panic or an allocation larger than the file.
package symkey

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// Kind is what a file was recognised as.
type Kind string

const (
	KindPE          Kind = "pe"
	KindPDB         Kind = "pdb"
	KindPortablePDB Kind = "portable-pdb"
	KindELF         Kind = "elf"       // ELF without debug information
	KindELFDebug    Kind = "elf-debug" // ELF with .debug_info (a debug file or unstripped binary)
	KindMachO       Kind = "mach-o"
	KindMachODSYM   Kind = "mach-o-dsym"
	KindOther       Kind = "other" // keyed by SHA-1, see OtherKey
)

// Key is one client key of a file. A fat Mach-O file has one per slice.
type Key struct {
	Kind Kind
	// Arch is the Mach-O slice's architecture (x86_64, arm64, ...);
	// empty for other kinds.
	Arch string
	// ClientKey is the SSQP key, e.g. foo.pdb/497b72f6...1/foo.pdb.
	ClientKey string
}

// Label is the kind as printed: the kind, and the architecture of a
// Mach-O slice ("mach-o arm64").
func (k Key) Label() string {
	if k.Arch != "" {
		return string(k.Kind) + " " + k.Arch
	}
	return string(k.Kind)
}

// ErrUnknownKind: the file is none of the symbol kinds (it can still be
// keyed by SHA-1 with OtherKey).
var ErrUnknownKind = errors.New("not a symbol file of a known kind")

// SkipError: the file is of a known kind but has no key, e.g. an ELF core
// file or a binary without a build id.
type SkipError struct {
	Kind   Kind
	Reason string
}

func (e *SkipError) Error() string { return string(e.Kind) + ": no key: " + e.Reason }

// FormatError: the file claims a kind but is truncated or corrupt.
type FormatError struct {
	Kind    Kind
	Problem string
}

func (e *FormatError) Error() string { return kindTitle(e.Kind) + ": " + e.Problem }

func kindTitle(k Kind) string {
	switch k {
	case KindPE:
		return "PE file"
	case KindPDB:
		return "Windows PDB"
	case KindPortablePDB:
		return "Portable PDB"
	case KindELF, KindELFDebug:
		return "ELF file"
	case KindMachO, KindMachODSYM:
		return "Mach-O file"
	}
	return string(k)
}

func formatErr(k Kind, format string, a ...any) error {
	return &FormatError{Kind: k, Problem: fmt.Sprintf(format, a...)}
}

// Name is the <name> part of a key: the base name, lower-cased.
func Name(path string) string {
	return strings.ToLower(filepath.Base(path))
}

// OtherKey is the key of a file of no symbol kind:
// <name>/sha1-<SHA-1 hex>/<name>.
func OtherKey(name string, sha1Sum []byte) string {
	return name + "/sha1-" + hex.EncodeToString(sha1Sum) + "/" + name
}

// Identify returns the client keys of the size bytes of r, whose file is
// called name (a base name, already lower-cased: see Name). The error is
// ErrUnknownKind, a *SkipError or a *FormatError.
func Identify(r io.ReaderAt, size int64, name string) (keys []Key, err error) {
	// The standard library's debug/* readers are fuzzed upstream, but a
	// panic in one must still not take down a run over thousands of
	// files: it becomes this file's error.
	defer func() {
		if p := recover(); p != nil {
			keys, err = nil, &FormatError{Kind: KindOther, Problem: fmt.Sprintf("malformed file (reader failed: %v)", p)}
		}
	}()
	return identify(r, size, name)
}

// magicLen is how much of the start of a file decides its kind.
const magicLen = 64

func identify(r io.ReaderAt, size int64, name string) ([]Key, error) {
	head := make([]byte, min(size, magicLen))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	switch {
	case len(head) >= 2 && head[0] == 'M' && head[1] == 'Z':
		return peKey(r, size, name)
	case hasPrefix(head, msf7Magic):
		return pdbKey(r, size, name)
	case hasPrefix(head, msf2Magic):
		return nil, &SkipError{Kind: KindPDB, Reason: "PDB 2.0 (MSVC 6 era): only MSF 7.0 PDBs are keyed"}
	case hasPrefix(head, []byte("BSJB")):
		return portablePDBKey(r, size, name)
	case hasPrefix(head, []byte("\x7fELF")):
		return elfKey(r, size, name)
	case isMachO(head):
		return machoKey(r, size, name)
	case isFat(head):
		return fatKey(r, size, name)
	}
	return nil, ErrUnknownKind
}

func hasPrefix(b, prefix []byte) bool {
	return len(b) >= len(prefix) && string(b[:len(prefix)]) == string(prefix)
}

// guidHex writes a GUID as SSQP keys do: the 4-, 2- and 2-byte fields
// (stored little-endian) as numbers, then the last 8 bytes as stored.
func guidHex(g []byte) string {
	return fmt.Sprintf("%02x%02x%02x%02x%02x%02x%02x%02x%x",
		g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6], g[8:16])
}
