package symbols

import (
	"errors"
	"strings"
	"testing"

	"github.com/diagctl/diagctl/internal/exit"
)

func item(src, key, blob string) Item {
	return Item{Source: src, Entry: DebugEntry{ClientKey: key, BlobIdentifier: BlobIdentifier{blob}}}
}

func TestCheckDuplicates(t *testing.T) {
	if err := CheckDuplicates([]Item{item("a", "a/1/a", blobA), item("b", "b/1/b", blobA)}); err != nil {
		t.Fatalf("distinct keys: %v", err)
	}
	err := CheckDuplicates([]Item{
		item("bin/symbol.exe", keyA, blobA),
		item("x.dll", "x.dll/1/x.dll", blobA),
		item("entries.json [4]", strings.ToLower(keyA), blobB),
		item("copy/x.dll", "X.DLL/1/X.DLL", blobA),
		item("old/symbol.exe", keyA, blobA),
	})
	var de *DuplicateKeysError
	if !errors.As(err, &de) || exit.Code(err) != exit.Usage || !strings.Contains(exit.Hint(err), "without regard to case") {
		t.Fatalf("error %v (%T)", err, err)
	}
	if len(de.Keys) != 2 {
		t.Fatalf("%d duplicate keys, want 2: %v", len(de.Keys), err)
	}
	want := "client key " + keyA + " is given 3 times: bin/symbol.exe, entries.json [4], old/symbol.exe; " +
		"client key x.dll/1/x.dll is given 2 times: x.dll, copy/x.dll (identical content)"
	if err.Error() != want {
		t.Errorf("message\n%s\nwant\n%s", err, want)
	}
	if de.Keys[0].SameBlob || !de.Keys[1].SameBlob {
		t.Errorf("SameBlob = %v, %v", de.Keys[0].SameBlob, de.Keys[1].SameBlob)
	}
}
