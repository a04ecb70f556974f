package symbols

import (
	"fmt"
	"strings"

	"github.com/diagctl/diagctl/internal/exit"
)

// InputError is a value refused before anything is sent (exit 2). Source
// names where it came from (a file, "entries.json", "--client-key"), Path
// the JSON position (".[3]", ".debugEntries[0]") when it came from JSON,
// Field the field inside the entry.
type InputError struct {
	Source string
	Path   string
	Field  string
	Msg    string
	Next   string
}

func (e *InputError) Error() string {
	var b strings.Builder
	if e.Source != "" {
		b.WriteString(e.Source + ": ")
	}
	switch {
	case e.Path != "" && e.Field != "":
		b.WriteString(e.Path + "." + e.Field + ": ")
	case e.Path != "":
		b.WriteString(e.Path + ": ")
	case e.Field != "":
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

func (e *InputError) ExitCode() int { return exit.Usage }

func (e *InputError) Hint() string {
	if e.Next != "" {
		return e.Next
	}
	return "fix the value and run again: nothing was sent"
}

// Op is the call whose answer is being decoded: the same status means
// different things (and needs a different next step) on each.
type Op int

const (
	OpCreateEntries Op = iota // POST requests/{id}?collection=debugentries
	OpCreateRequest           // POST requests
	OpSealRequest             // PATCH requests/{id}
	OpShowRequest             // GET requests/{id}
	OpLookup                  // GET symsrv/{clientKey}
)

// Azure's exception type keys that diagctl tells apart.
const (
	TypeEntryExists     = "DebugEntryExistsException"
	TypeRequestNotFound = "RequestNotFoundException"
	TypeRequestSealed   = "RequestSealedException"
	TypeHostNotFound    = "HostNotFoundException" // unknown organization
	TypePreviewRequired = "VssInvalidPreviewVersionException"
)

// ServiceError is an error answer from the service: the HTTP status and,
// when the body had Azure's shape
// {"$id","innerException","message","typeName","typeKey","errorCode","eventId"},
// its fields. Message is server-controlled text: escape it before printing
// it as text.
type ServiceError struct {
	Op         Op
	Status     int
	Message    string
	TypeName   string
	TypeKey    string
	ErrorCode  int
	EventID    int
	RetryAfter string // the Retry-After header, verbatim, on 429 and 503

	next string
	code int
}

func (e *ServiceError) Error() string {
	s := fmt.Sprintf("symbols: HTTP %d", e.Status)
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.TypeKey != "" {
		s += " (" + e.TypeKey + ")"
	}
	return s
}

func (e *ServiceError) ExitCode() int { return e.code }
func (e *ServiceError) Hint() string  { return e.next }

// PreviewRequired reports the 400 a preview resource gives to an
// api-version without "-preview": the one answer after which a client
// retries once with PreviewVersion.
func (e *ServiceError) PreviewRequired() bool {
	return e.Status == 400 && (e.TypeKey == TypePreviewRequired || strings.Contains(e.Message, "-preview"))
}

// Retryable reports an answer that asks the client to come back later
// (429, 503): the service did not act on the request, so even a POST may be
// sent again.
func (e *ServiceError) Retryable() bool { return e.Status == 429 || e.Status == 503 }

// SignInError is the HTML sign-in (or access denied) page Azure sends
// instead of JSON when it does not accept the credentials, sometimes with
// status 203 or 200. It is an authentication failure (exit 3).
type SignInError struct {
	Status int
}

func (e *SignInError) Error() string {
	return fmt.Sprintf("symbols: HTTP %d: the service answered with a sign-in page instead of JSON: the credentials were not accepted", e.Status)
}
func (e *SignInError) ExitCode() int { return exit.Auth }
func (e *SignInError) Hint() string  { return authHint }

const (
	authHint = "check the PAT (DIAGCTL_SYMBOLS_TOKEN, AZURE_DEVOPS_EXT_PAT or --token-stdin): that it has not expired and has the Symbols (read & write) scope; with --auth bearer, that the Entra token is current"
	orgHint  = "check the organization (--organization or DIAGCTL_SYMBOLS_ORGANIZATION) and the service URL (--url or DIAGCTL_SYMBOLS_URL)"
)

// classify decides the next step and exit status of an error answer.
func (e *ServiceError) classify() {
	e.code = statusExit(e.Status)
	switch {
	case e.Status == 401:
		e.next = authHint
	case e.TypeKey == TypeHostNotFound:
		e.next = orgHint
	case e.TypeKey == TypeRequestSealed || (e.Status == 403 && e.Op == OpCreateEntries):
		e.next = "the request is sealed and takes no more entries: create a new one (diagctl symbols request create NAME) and add the entries to it"
	case e.Status == 403:
		e.next = "the token is valid but may not do this: it needs the Symbols (read & write) scope and access to the organization's symbol service"
	case e.TypeKey == TypeRequestNotFound || (e.Status == 404 && e.Op != OpLookup):
		e.next = "no such symbol request in this organization: check the request id (diagctl symbols request show ID), the organization (--organization or DIAGCTL_SYMBOLS_ORGANIZATION) and the service URL (--url or DIAGCTL_SYMBOLS_URL)"
	case e.Status == 409 && e.Op == OpCreateEntries:
		e.next = "a debug entry with this client key already exists in the request: run again with --create-behavior skipIfExists to keep it, or overwriteIfExists to replace it"
	case e.Status == 409 && e.Op == OpCreateRequest:
		e.next = "a symbol request with this name already exists: choose another name, or find the existing request's id where it was created (its id is in that run's output)"
	case e.PreviewRequired():
		e.next = "the service wants a preview api-version: pass --api-version " + PreviewVersion(DefaultAPIVersion)
	case e.Retryable():
		e.next = "the service is busy or throttling: try again later"
	case e.Status >= 500:
		e.next = "the symbol service failed: try again later"
	case e.Status >= 400:
		e.next = "the service refused the request: see its message above"
	}
}

func statusExit(status int) int {
	switch {
	case status == 401 || status == 403:
		return exit.Auth
	case status == 404:
		return exit.NotFound
	case status >= 400 && status < 500:
		return exit.Rejected
	default:
		return exit.Service
	}
}
