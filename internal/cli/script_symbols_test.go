package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	symapi "github.com/diagctl/diagctl/internal/api/symbols"
	"github.com/diagctl/diagctl/internal/emulator"
	"github.com/rogpeppe/go-internal/testscript"
)

// cmdCapture sets an environment variable to the last command's stdout,
// trimmed, as a shell's $(...) would; with REGEXP, to its first group's
// match (it must match); -stderr reads stderr instead:
//
//	exec diagctl symbols request create v1.2.3
//	capture ID
//	exec diagctl symbols request show $ID
//	capture -stderr ID 'id ([0-9a-f]{64})'
func cmdCapture(ts *testscript.TestScript, neg bool, args []string) {
	stream := "stdout"
	if len(args) > 0 && args[0] == "-stderr" {
		stream, args = "stderr", args[1:]
	}
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: capture [-stderr] VAR [REGEXP]")
	}
	text := ts.ReadFile(stream)
	if len(args) == 1 {
		ts.Setenv(args[0], strings.TrimSpace(text))
		return
	}
	m := regexp.MustCompile(args[1]).FindStringSubmatch(text)
	if len(m) < 2 {
		ts.Fatalf("capture: no match for %q (with a group) in %s", args[1], stream)
	}
	ts.Setenv(args[0], m[1])
}

// cmdSymEntries adds debug entries to a symbol request on the script's
// emulator, through internal/api/symbols (create-entries is a command of
// its own): FILE is a DebugEntryCreateBatch, an array of DebugEntry, or
// `symbols keys --json` output. With -hold the emulator holds the entries'
// blobs first, as if they had been uploaded, so they come back created
// and symsrv finds their keys. It prints "KEY STATUS" per entry; a refusal
// prints the error and fails (use ! symentries to expect one).
//
//	symentries -hold $SYMBOL_REQUEST_OPEN keys.json
func cmdSymEntries(ts *testscript.TestScript, neg bool, args []string) {
	hold := len(args) > 0 && args[0] == "-hold"
	if hold {
		args = args[1:]
	}
	if len(args) != 2 {
		ts.Fatalf("usage: symentries [-hold] REQUEST_ID FILE")
	}
	in, err := symapi.ParseEntriesBytes([]byte(ts.ReadFile(args[1])), args[1])
	ts.Check(err)
	entries := symapi.Entries(in.Items)
	srv := ts.Value(emuKey{}).(*emuLog).srv
	if hold {
		for _, e := range entries {
			srv.HoldBlob(e.BlobIdentifier.IdentifierValue)
		}
	}
	var failed error
	for _, batch := range symapi.NewBatches(in.CreateBehavior, entries, symapi.DefaultBatchSize) {
		if failed = postEntries(ts, srv.URL, args[0], batch); failed != nil {
			break
		}
	}
	switch {
	case failed != nil && !neg:
		ts.Fatalf("symentries: %v", failed)
	case failed == nil && neg:
		ts.Fatalf("symentries: the entries were accepted")
	case failed != nil:
		fmt.Fprintf(ts.Stderr(), "%v\n", failed)
	}
}

func postEntries(ts *testscript.TestScript, base, requestID string, batch symapi.DebugEntryCreateBatch) error {
	body, err := jsonBody(batch)
	ts.Check(err)
	url := base + "/" + symapi.RequestPath(emulator.SymbolsOrg, requestID) + "?" + symapi.EntriesQuery(symapi.DefaultAPIVersion)
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	ts.Check(err)
	req.SetBasicAuth("", emulator.SymbolsPAT)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	ts.Check(err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	ts.Check(err)
	stored, err := symapi.DecodeEntries(resp.StatusCode, resp.Header, data)
	if err != nil {
		return err
	}
	for _, e := range stored {
		fmt.Fprintf(ts.Stdout(), "%s %s\n", e.ClientKey, e.Status)
	}
	return nil
}

func jsonBody(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	return b.Bytes(), err
}

// keysRow is one row of `symbols keys --json`.
type keysRow struct {
	File           string `json:"file"`
	ClientKey      string `json:"clientKey"`
	BlobIdentifier struct {
		IdentifierValue string `json:"identifierValue"`
	} `json:"blobIdentifier"`
	Size int64 `json:"size"`
}

func readKeys(ts *testscript.TestScript, name string) []keysRow {
	b, err := os.ReadFile(ts.MkAbs(name))
	if err != nil {
		ts.Fatalf("%v", err)
	}
	var rows []keysRow
	if err := json.Unmarshal(b, &rows); err != nil {
		ts.Fatalf("%s: %v", name, err)
	}
	return rows
}

// cmdEntriesSent checks the entries POSTs the emulator received since the
// last received command (leaving them for the next one) against
// `symbols keys --json` output, entry by entry and in order:
//
//	entriessent keys.json                    no createBehavior in any body
//	entriessent -behavior skipIfExists keys.json
//
// Each body must be {"createBehavior"?, "debugEntries": [...]} and each
// entry hold only clientKey, blobIdentifier.identifierValue and size.
func cmdEntriesSent(ts *testscript.TestScript, neg bool, args []string) {
	behavior := ""
	if len(args) == 3 && args[0] == "-behavior" {
		behavior, args = args[1], args[2:]
	}
	if neg || len(args) != 1 {
		ts.Fatalf("usage: entriessent [-behavior B] KEYS.json")
	}
	want := readKeys(ts, args[0])
	log := ts.Value(emuKey{}).(*emuLog)
	all := log.srv.Received()
	type entry struct {
		BlobIdentifier struct {
			IdentifierValue string `json:"identifierValue"`
		} `json:"blobIdentifier"`
		ClientKey string `json:"clientKey"`
		Size      *int64 `json:"size"`
	}
	var got []entry
	posts := 0
	for _, r := range all[min(log.seen, len(all)):] {
		if r.Method != "POST" || !strings.Contains(r.RawQuery, "collection=debugentries") {
			continue
		}
		posts++
		var body struct {
			CreateBehavior *string           `json:"createBehavior"`
			DebugEntries   []json.RawMessage `json:"debugEntries"`
		}
		dec := json.NewDecoder(bytes.NewReader(r.Body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&body); err != nil {
			ts.Fatalf("POST %d: body %s: %v", posts, r.Body, err)
		}
		switch {
		case behavior == "" && body.CreateBehavior != nil:
			ts.Fatalf("POST %d: createBehavior %q sent, want none", posts, *body.CreateBehavior)
		case behavior != "" && (body.CreateBehavior == nil || *body.CreateBehavior != behavior):
			ts.Fatalf("POST %d: createBehavior %v, want %q", posts, body.CreateBehavior, behavior)
		}
		for _, raw := range body.DebugEntries {
			var e entry
			d := json.NewDecoder(bytes.NewReader(raw))
			d.DisallowUnknownFields()
			if err := d.Decode(&e); err != nil {
				ts.Fatalf("POST %d: entry %s: %v", posts, raw, err)
			}
			got = append(got, e)
		}
	}
	if len(got) != len(want) {
		ts.Fatalf("%d entries sent in %d POSTs, %s has %d", len(got), posts, args[0], len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.ClientKey != w.ClientKey || g.BlobIdentifier.IdentifierValue != w.BlobIdentifier.IdentifierValue || g.Size == nil || *g.Size != w.Size {
			ts.Fatalf("entry %d sent %+v, want %s %s %d (%s)", i, g, w.ClientKey, w.BlobIdentifier.IdentifierValue, w.Size, w.File)
		}
	}
}

// cmdGenEntries writes N entries to FILE as `symbols keys --json` would
// (distinct keys, the emulator's known blob), for batching tests:
//
//	genentries 250 entries.json
func cmdGenEntries(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: genentries N FILE")
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n < 0 {
		ts.Fatalf("genentries: bad count %q", args[0])
	}
	rows := make([]map[string]any, n)
	for i := range rows {
		name := fmt.Sprintf("lib%04d.so", i)
		rows[i] = map[string]any{
			"file":           "gen/" + name,
			"kind":           "elf",
			"clientKey":      fmt.Sprintf("%s/elf-buildid-%040x/%s", name, i+1, name),
			"blobIdentifier": map[string]string{"identifierValue": emulator.KnownBlobID},
			"size":           1000 + i,
		}
	}
	b, err := json.MarshalIndent(rows, "", "  ")
	if err != nil {
		ts.Fatalf("%v", err)
	}
	if err := os.WriteFile(filepath.Join(ts.Getenv("WORK"), args[1]), b, 0o644); err != nil {
		ts.Fatalf("%v", err)
	}
}

// cmdHoldBlob makes the emulator hold the blobs of a `symbols keys
// --json` file, as if their content had been uploaded: entries naming
// them come back "created".
//
//	holdblob keys.json
func cmdHoldBlob(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: holdblob KEYS.json")
	}
	var ids []string
	for _, r := range readKeys(ts, args[0]) {
		ids = append(ids, r.BlobIdentifier.IdentifierValue)
	}
	ts.Value(emuKey{}).(*emuLog).srv.HoldBlob(ids...)
}
