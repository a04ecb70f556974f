package symbols

import (
	"encoding/json"
	"fmt"
	"testing"
)

func TestNewBatches(t *testing.T) {
	entries := make([]DebugEntry, 250)
	for i := range entries {
		entries[i] = DebugEntry{ClientKey: fmt.Sprintf("f%d/1/f%d", i, i), BlobIdentifier: BlobIdentifier{blobA}}
	}
	bs := NewBatches(SkipIfExists, entries, 100)
	if len(bs) != 3 || len(bs[0].DebugEntries) != 100 || len(bs[1].DebugEntries) != 100 || len(bs[2].DebugEntries) != 50 {
		t.Fatalf("%d batches", len(bs))
	}
	if bs[1].DebugEntries[0].ClientKey != "f100/1/f100" || bs[2].DebugEntries[49].ClientKey != "f249/1/f249" || bs[2].CreateBehavior != SkipIfExists {
		t.Error("batches out of order or without the behavior")
	}
	// Appending to one batch must not write into the next.
	_ = append(bs[0].DebugEntries, DebugEntry{ClientKey: "x/x/x"})
	if bs[1].DebugEntries[0].ClientKey != "f100/1/f100" {
		t.Error("batches share their backing array")
	}
	if n := len(NewBatches("", entries, 0)); n != 3 {
		t.Errorf("default size: %d batches", n)
	}
	if NewBatches("", nil, 100) != nil {
		t.Error("batches from no entries")
	}
	size := int64(7)
	b, _ := json.Marshal(NewBatches("", []DebugEntry{{ClientKey: keyA, BlobIdentifier: BlobIdentifier{blobA}, InformationLevel: "binary", Size: &size}}, 1)[0])
	if string(b) != `{"debugEntries":[{"blobIdentifier":{"identifierValue":"`+blobA+`"},"clientKey":"`+keyA+`","informationLevel":"binary","size":7}]}` {
		t.Errorf("body %s", b)
	}
}

func TestPaths(t *testing.T) {
	if got := RequestPath("fabrikam", reqA); got != "fabrikam/_apis/symbol/requests/"+reqA {
		t.Error(got)
	}
	if got := EntriesQuery("7.1"); got != "api-version=7.1&collection=debugentries" {
		t.Error(got)
	}
	if got := SymsrvPath("my org", "a b.pdb/0011/a#b.pdb"); got != "my%20org/_apis/symbol/symsrv/a%20b.pdb/0011/a%23b.pdb" {
		t.Error(got)
	}
	if PreviewVersion("7.1") != "7.1-preview.1" || PreviewVersion("7.1-preview.1") != "7.1-preview.1" {
		t.Error("PreviewVersion")
	}
}
