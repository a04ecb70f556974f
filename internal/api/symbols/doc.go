// Package symbols is the Azure DevOps Artifacts symbol service's data layer:
// the models diagctl sends and receives, the checks every value gets before
// anything is sent, the parsing of `--entries` input and of the service's
// answers (including its error bodies and the HTML sign-in page it sometimes
// sends instead of JSON). The decoders take a status, the response headers
// and the body, whatever client fetched them; service.go ties the package
// to the shared HTTP layer: Service (settings, auth kind, error mapping),
// EntriesRequest, RetryFor and ReadBody.
//
// The flow a command follows (FACTS.md section 3):
//
//	id, err := ParseRequestID(arg)                       // 64 hex, lower-cased
//	in, err := ParseEntries(r, "entries.json", 0)        // --entries FILE|-
//	items := append(in.Items, Item{Source: path, Entry: fromKeys}) // files
//	err = CheckDuplicates(items)                         // case-insensitive keys
//	for _, b := range NewBatches(behavior, Entries(items), 100) {
//	    body, _ := json.Marshal(b)                       // POST EntriesPath(org, id)
//	    entries, err := DecodeEntries(status, header, respBody)
//	}
//
// Errors carry their exit status (exit.Coder) and a next step (exit.Hinter):
// *InputError and *DuplicateKeysError are usage errors (exit 2), *ServiceError
// maps the status and the vendor's typeKey, *SignInError is an authentication
// failure (exit 3).
package symbols
