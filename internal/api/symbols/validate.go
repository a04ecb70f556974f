package symbols

import (
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The enums as the vendor page spells them. The service parses them
// case-insensitively, as .NET does; diagctl accepts any case and sends
// these spellings.
var (
	// CreateBehaviors: what the service does when a key already exists in
	// the request. throwIfExists (the service's default) answers 409.
	CreateBehaviors = []string{"throwIfExists", "skipIfExists", "overwriteIfExists"}
	// InformationLevels: DebugInformationLevel, in the vendor's order of
	// its flag values (none = 0, binary = 1, publics = 2, ...).
	InformationLevels = []string{"none", "binary", "publics", "traceFormatPresent", "typeInfo",
		"lineNumbers", "globalSymbols", "private", "sourceIndexed"}
)

// Create behaviors by name.
const (
	ThrowIfExists     = "throwIfExists"
	SkipIfExists      = "skipIfExists"
	OverwriteIfExists = "overwriteIfExists"
)

// BlobIDLen is the length of a blob identifier: base64 of 33 bytes.
const BlobIDLen = 44

// ValidateBlobID checks a blob identifier: 44 characters of standard
// base64 (no URL alphabet, no whitespace) that decode to 33 bytes.
func ValidateBlobID(s string) error {
	if len(s) != BlobIDLen {
		return fmt.Errorf("a blob identifier is %d characters of base64, not %d (it is the base64 of the 33-byte content hash that `diagctl symbols keys` prints)", BlobIDLen, utf8.RuneCountInString(s))
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil {
		return fmt.Errorf("a blob identifier is standard base64 (A-Z a-z 0-9 + /): %q is not", s)
	}
	if len(raw) != 33 {
		return fmt.Errorf("a blob identifier decodes to 33 bytes, this one to %d", len(raw))
	}
	return nil
}

// ValidateClientKey checks a client key's shape: three non-empty parts
// separated by '/', such as symbol.exe/557A1D8EE000/symbol.exe, with no
// control characters and no "." or ".." part (which a URL path would
// resolve away in a symsrv lookup).
func ValidateClientKey(s string) error {
	parts := strings.Split(s, "/")
	if len(parts) != 3 {
		return fmt.Errorf("a client key has three parts separated by '/', such as foo.pdb/497b72f6390a44fc878e5a2d63b6cc4b1/foo.pdb; %q has %d", s, len(parts))
	}
	for i, p := range parts {
		switch {
		case p == "":
			return fmt.Errorf("client key %q: part %d is empty", s, i+1)
		case p == "." || p == "..":
			return fmt.Errorf("client key %q: part %d is %q", s, i+1, p)
		}
	}
	if !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return fmt.Errorf("client key %q has control characters or is not UTF-8", s)
	}
	return nil
}

// CanonicalInformationLevel returns the vendor's spelling of an
// information level given in any case ("" stays ""), or an error listing
// the valid ones.
func CanonicalInformationLevel(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	if v, ok := canonical(s, InformationLevels); ok {
		return v, nil
	}
	return "", fmt.Errorf("%q is not an information level: use one of %s", s, strings.Join(InformationLevels, ", "))
}

// CanonicalCreateBehavior returns the vendor's spelling of a create
// behavior given in any case ("" stays "": not sent), or an error.
func CanonicalCreateBehavior(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	if v, ok := canonical(s, CreateBehaviors); ok {
		return v, nil
	}
	return "", fmt.Errorf("%q is not a create behavior: use throwIfExists, skipIfExists or overwriteIfExists", s)
}

// ResendSafe reports whether a batch whose outcome is unknown (the POST may
// have reached the service) can be sent again without changing the
// outcome: only when existing keys are skipped or overwritten. With
// throwIfExists (or no behavior, which means the same) a resend of a batch
// that was stored answers 409.
func ResendSafe(behavior string) bool {
	return behavior == SkipIfExists || behavior == OverwriteIfExists
}

// ParseRequestID checks a symbol request id (64 hexadecimal characters)
// and returns it lower-cased.
func ParseRequestID(s string) (string, error) {
	if len(s) != 64 || strings.IndexFunc(s, func(r rune) bool { return !isHex(r) }) >= 0 {
		return "", &InputError{Field: "REQUEST_ID", Msg: fmt.Sprintf("a symbol request id is 64 hexadecimal characters (%d given)", utf8.RuneCountInString(s)),
			Next: "use the id `diagctl symbols request create NAME` printed, or create a request first"}
	}
	return strings.ToLower(s), nil
}

// ValidateEntry checks every field of e and canonicalises its information
// level in place. Errors name the field in the JSON shape
// (blobIdentifier.identifierValue, clientKey, informationLevel, size).
func ValidateEntry(e *DebugEntry) error {
	if e.ClientKey == "" {
		return &InputError{Field: "clientKey", Msg: "missing"}
	}
	if err := ValidateClientKey(e.ClientKey); err != nil {
		return &InputError{Field: "clientKey", Msg: err.Error()}
	}
	if e.BlobIdentifier.IdentifierValue == "" {
		return &InputError{Field: "blobIdentifier.identifierValue", Msg: "missing"}
	}
	if err := ValidateBlobID(e.BlobIdentifier.IdentifierValue); err != nil {
		return &InputError{Field: "blobIdentifier.identifierValue", Msg: err.Error()}
	}
	lvl, err := CanonicalInformationLevel(e.InformationLevel)
	if err != nil {
		return &InputError{Field: "informationLevel", Msg: err.Error()}
	}
	e.InformationLevel = lvl
	if e.Size != nil && *e.Size < 0 {
		return &InputError{Field: "size", Msg: fmt.Sprintf("a size cannot be negative (%d)", *e.Size)}
	}
	return nil
}

// canonical finds v in names ignoring case.
func canonical(v string, names []string) (string, bool) {
	for _, n := range names {
		if strings.EqualFold(v, n) {
			return n, true
		}
	}
	return "", false
}

func isHex(r rune) bool {
	return '0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F'
}
