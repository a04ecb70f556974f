package symbols

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/diagctl/diagctl/internal/exit"
)

const (
	blobA = "cZSUgWLJKRZmXuaLhvXo9NRdb2Be9Ek64KVv2qsz8jYA" // the vendor page's example
	keyA  = "symbol.exe/557A1D8EE000/symbol.exe"
	reqA  = "9dc380b5c295c03188108014a73574987cdef9a4edce00b01c9ec2d05fa97c37"
)

var blobB = base64.StdEncoding.EncodeToString(append(make([]byte, 32), 0))

func TestValidateBlobID(t *testing.T) {
	good := []string{blobA, blobB}
	for _, s := range good {
		if err := ValidateBlobID(s); err != nil {
			t.Errorf("ValidateBlobID(%q) = %v", s, err)
		}
	}
	bad := map[string]string{
		"":                                  "44 characters",
		blobA[:43]:                          "not 43",
		blobA + "A":                         "not 45",
		strings.Replace(blobA, "J", "-", 1): "standard base64",
		strings.Replace(blobA, "J", " ", 1): "standard base64",
		blobA[:40] + "AA==":                 "33 bytes",
		"71949481":                          "not 8",
	}
	for s, want := range bad {
		err := ValidateBlobID(s)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ValidateBlobID(%q) = %v, want an error with %q", s, err, want)
		}
	}
}

func TestValidateClientKey(t *testing.T) {
	for _, s := range []string{keyA, "foo.pdb/497b72f6390a44fc878e5a2d63b6cc4b1/foo.pdb", "_.debug/elf-buildid-sym-180a373d6afbabf0eb1f09be1bc45bd796a71085/_.debug", "my file.dll/5A0B1C2D3000/my file.dll"} {
		if err := ValidateClientKey(s); err != nil {
			t.Errorf("ValidateClientKey(%q) = %v", s, err)
		}
	}
	for s, want := range map[string]string{
		"symbol.exe":    "three parts",
		"a/b":           "has 2",
		"a/b/c/d":       "has 4",
		"a//c":          "part 2 is empty",
		"/b/c":          "part 1 is empty",
		"a/b/":          "part 3 is empty",
		"a/../c":        `part 2 is ".."`,
		"a/b\x1b[31m/c": "control characters",
		"a/b/c\n":       "control characters",
		"a/\xff/c":      "not UTF-8",
	} {
		err := ValidateClientKey(s)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ValidateClientKey(%q) = %v, want %q", s, err, want)
		}
	}
}

func TestCanonicalEnums(t *testing.T) {
	for in, want := range map[string]string{"": "", "binary": "binary", "BINARY": "binary", "tracefORMATpresent": "traceFormatPresent", "private": "private", "none": "none"} {
		if got, err := CanonicalInformationLevel(in); err != nil || got != want {
			t.Errorf("CanonicalInformationLevel(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	// tracedPublics is not in the vendor's enum (traceFormatPresent is).
	for _, in := range []string{"tracedPublics", "full", "binary, publics", "1"} {
		if _, err := CanonicalInformationLevel(in); err == nil || !strings.Contains(err.Error(), "sourceIndexed") {
			t.Errorf("CanonicalInformationLevel(%q) = %v, want an error listing the levels", in, err)
		}
	}
	for in, want := range map[string]string{"": "", "skipifexists": SkipIfExists, "ThrowIfExists": ThrowIfExists, "overwriteIfExists": OverwriteIfExists} {
		if got, err := CanonicalCreateBehavior(in); err != nil || got != want {
			t.Errorf("CanonicalCreateBehavior(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := CanonicalCreateBehavior("replace"); err == nil || !strings.Contains(err.Error(), "skipIfExists") {
		t.Errorf("CanonicalCreateBehavior(replace) = %v", err)
	}
	if ResendSafe("") || ResendSafe(ThrowIfExists) || !ResendSafe(SkipIfExists) || !ResendSafe(OverwriteIfExists) {
		t.Error("ResendSafe: only skip and overwrite are safe to resend")
	}
}

func TestParseRequestID(t *testing.T) {
	if got, err := ParseRequestID(strings.ToUpper(reqA)); err != nil || got != reqA {
		t.Errorf("ParseRequestID(upper) = %q, %v", got, err)
	}
	for _, s := range []string{"", reqA[:63], reqA + "0", "g" + reqA[1:], "9dc380b5-c295-c031-8810-8014a7357498"} {
		_, err := ParseRequestID(s)
		if err == nil || exit.Code(err) != exit.Usage || !strings.Contains(err.Error(), "64 hexadecimal") {
			t.Errorf("ParseRequestID(%q) = %v", s, err)
		}
	}
}

func TestValidateEntry(t *testing.T) {
	neg := int64(-1)
	tests := []struct {
		e     DebugEntry
		field string
	}{
		{DebugEntry{BlobIdentifier: BlobIdentifier{blobA}}, "clientKey: missing"},
		{DebugEntry{ClientKey: "a/b", BlobIdentifier: BlobIdentifier{blobA}}, "clientKey: a client key has three parts"},
		{DebugEntry{ClientKey: keyA}, "blobIdentifier.identifierValue: missing"},
		{DebugEntry{ClientKey: keyA, BlobIdentifier: BlobIdentifier{"abc"}}, "blobIdentifier.identifierValue: a blob identifier is 44"},
		{DebugEntry{ClientKey: keyA, BlobIdentifier: BlobIdentifier{blobA}, InformationLevel: "lots"}, "informationLevel:"},
		{DebugEntry{ClientKey: keyA, BlobIdentifier: BlobIdentifier{blobA}, Size: &neg}, "size: a size cannot be negative"},
	}
	for _, tt := range tests {
		err := ValidateEntry(&tt.e)
		if err == nil || !strings.HasPrefix(err.Error(), tt.field) || exit.Code(err) != exit.Usage {
			t.Errorf("ValidateEntry(%+v) = %v, want %q...", tt.e, err, tt.field)
		}
	}
	e := DebugEntry{ClientKey: keyA, BlobIdentifier: BlobIdentifier{blobA}, InformationLevel: "Binary"}
	if err := ValidateEntry(&e); err != nil || e.InformationLevel != "binary" {
		t.Errorf("ValidateEntry: %v, level %q", err, e.InformationLevel)
	}
}
