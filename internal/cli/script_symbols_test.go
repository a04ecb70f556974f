package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"

	symapi "github.com/diagctl/diagctl/internal/api/symbols"
	"github.com/diagctl/diagctl/internal/emulator"
)

// cmdCapture sets an environment variable to the last command's stdout,
// trimmed, as a shell's $(...) would:
//
//	exec diagctl symbols request create v1.2.3
//	capture ID
//	exec diagctl symbols request show $ID
func cmdCapture(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: capture VAR")
	}
	ts.Setenv(args[0], strings.TrimSpace(ts.ReadFile("stdout")))
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
