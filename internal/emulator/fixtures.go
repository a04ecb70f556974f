package emulator

// Credentials and IDs the emulator knows. Tests in other packages are
// written against these names: change a value if you must, never a name.
//
// The IDs are chosen so that their tails say what they do (…0004 answers
// code 4, …0503 answers 503), which makes logs and test failures readable.

// Kaspersky Research Sandbox: HTTP Basic credentials and task GUIDs.
const (
	SandboxUser     = "analyst"
	SandboxPassword = "s3cret-pass"

	TaskOK            = "d1a9c7f0-5a4e-4b6e-9c2d-000000000001" // small debug report, 3 files
	TaskOK2           = "d1a9c7f0-5a4e-4b6e-9c2d-000000000002" // another small debug report
	TaskNoDebugReport = "d1a9c7f0-5a4e-4b6e-9c2d-000000000004" // 400 code 4: artifacts disabled
	TaskDeleted       = "d1a9c7f0-5a4e-4b6e-9c2d-000000000007" // 404 code 7: task deleted
	TaskServerError   = "d1a9c7f0-5a4e-4b6e-9c2d-000000000500" // always 500
	Task503           = "d1a9c7f0-5a4e-4b6e-9c2d-000000000503" // 503 twice in every three requests
	TaskTextOK200     = "d1a9c7f0-5a4e-4b6e-9c2d-000000000200" // 200 text/plain error body
	TaskDropOnce      = "d1a9c7f0-5a4e-4b6e-9c2d-0000000f0001" // ~1 MiB; requests without Range are cut mid-body
	TaskDropNoRange   = "d1a9c7f0-5a4e-4b6e-9c2d-0000000f0002" // ~1 MiB, no ranges; odd requests cut mid-body
	TaskSlow          = "d1a9c7f0-5a4e-4b6e-9c2d-0000000f0003" // 2 MiB at Options.SlowRate
	TaskStall         = "d1a9c7f0-5a4e-4b6e-9c2d-0000000f0004" // half the body, then silence
	TaskBig           = "d1a9c7f0-5a4e-4b6e-9c2d-0000000b1900" // Options.BigSize bytes, generated
	TaskZipSlip       = "d1a9c7f0-5a4e-4b6e-9c2d-0000000e0001" // entry "../evil.txt"
	TaskSymlink       = "d1a9c7f0-5a4e-4b6e-9c2d-0000000e0002" // symlink entry
	TaskEvilName      = "d1a9c7f0-5a4e-4b6e-9c2d-0000000e0003" // Content-Disposition "../../etc/evil.zip"
	TaskUnknown       = "d1a9c7f0-5a4e-4b6e-9c2d-00000000dead" // well-formed, unknown: 400 code 6
)

// Huawei Cloud CodeArts Check: IAM tokens and 32-character sub-job IDs.
const (
	LogsToken        = "MIISemuLATORtokenAQcCoIIYTjCCGEoCAQExDTALBglghkgBZQMEAgEwgharBgkqhkiG9w0BBwGgghacBIIWmHsidG9rZW4iOnsiZXhwaXJlc19hdCI6IjIwOTktMDEtMDFUMDA6MDA6MDAuMDAwMDAwWiJ9fQ"
	LogsExpiredToken = "MIISexPIREDtokenAQcCoIIYTjCCGEoCAQExDTALBglghkgBZQMEAgEwgharBgkqhkiG9w0BBwGgghacBIIWmHsidG9rZW4iOnsiZXhwaXJlc19hdCI6IjIwMjAtMDEtMDFUMDA6MDA6MDAuMDAwMDAwWiJ9fQ"

	SubJobOK          = "a777ff00d3cf4d369d87066806ae0001" // application/zip with a file name
	SubJobOK2         = "a777ff00d3cf4d369d87066806ae0002" // application/octet-stream with a file name
	SubJobOK3         = "a777ff00d3cf4d369d87066806ae0003" // application/octet-stream, no Content-Disposition
	SubJob200Error    = "a777ff00d3cf4d369d87066806ae0200" // always 200 with a JSON error (CC.00050001)
	SubJobBusy        = "a777ff00d3cf4d369d87066806aebusy" // 200 JSON CC.00050012 twice in every three
	SubJobNetBusy     = "a777ff00d3cf4d369d87066806aenetb" // 500 CC.00000000 on every other request
	SubJob503         = "a777ff00d3cf4d369d87066806ae0503" // 503 twice in every three requests
	SubJobDropOnce    = "a777ff00d3cf4d369d87066806aedrop" // ~1 MiB; requests without Range are cut
	SubJobDropNoRange = "a777ff00d3cf4d369d87066806aednrg" // ~1 MiB, no ranges; odd requests cut
	SubJobSlow        = "a777ff00d3cf4d369d87066806aeslow" // 2 MiB at Options.SlowRate
	SubJobStall       = "a777ff00d3cf4d369d87066806aestal" // half the body, then silence
	SubJobBig         = "a777ff00d3cf4d369d87066806aebigz" // Options.BigSize bytes, generated
	SubJobZipSlip     = "a777ff00d3cf4d369d87066806aeslip" // entry "../evil.txt"
	SubJobSymlink     = "a777ff00d3cf4d369d87066806aesyml" // symlink entry
	SubJobEvilName    = "a777ff00d3cf4d369d87066806aeevil" // Content-Disposition "../../etc/evil.zip"
	SubJobUnknown     = "a777ff00d3cf4d369d87066806aenone" // well-formed, unknown: 400
)

// Azure DevOps symbol service: organization, credentials, request IDs and
// the one blob the emulator holds from the start.
const (
	SymbolsOrg = "fabrikam"
	// SymbolsPAT is sent as HTTP Basic with an empty user name.
	SymbolsPAT = "emu7pat2xq5k3m4n6b7vwc2zalkjhgfdsapoiuytrewqmnbvcxzl"
	// SymbolsBearer is an opaque Entra-style token sent as "Bearer".
	SymbolsBearer = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiI0OTliODRhYy0xMzIxLTQyN2YtYWExNy0yNjdjYTY5NzU3OTgiLCJzdWIiOiJkaWFnY3RsLWVtdWxhdG9yIn0.ZW11bGF0b3Itc2lnbmF0dXJl"

	// SymbolsExpiredPAT is answered, as Azure answers some credentials it
	// no longer accepts, with HTTP 203 and an HTML sign-in page.
	SymbolsExpiredPAT = "emu7expired0pat5k3m4n6b7vwc2zalkjhgfdsapoiuytrewqmnbv"

	// Symbol requests that exist from the start (their names below).
	SymbolRequestOpen    = "9dc380b5c295c03188108014a73574987cdef9a4edce00b01c9ec2d05fa97c37"
	SymbolRequestSealed  = "5ea1edb5c295c03188108014a73574987cdef9a4edce00b01c9ec2d05fa97c37"
	SymbolRequestUnknown = "00000000c295c03188108014a73574987cdef9a4edce00b01c9ec2d05fa97c37"
	// SymbolRequest429 is open; its odd-numbered entries POSTs (1st, 3rd,
	// ...) answer 429 with Retry-After: 1 and store nothing.
	SymbolRequest429 = "00000429c295c03188108014a73574987cdef9a4edce00b01c9ec2d05fa97c37"
	// SymbolRequestDrop is open; its odd-numbered entries POSTs store the
	// batch, then close the connection without an answer.
	SymbolRequestDrop = "0000d209c295c03188108014a73574987cdef9a4edce00b01c9ec2d05fa97c37"
	// SymbolRequestPreview is open but, whatever Options.RequirePreview
	// says, its entries POST wants an api-version with "-preview".
	SymbolRequestPreview = "00000071c295c03188108014a73574987cdef9a4edce00b01c9ec2d05fa97c37"

	SymbolRequestOpenName    = "emulator-open"
	SymbolRequestSealedName  = "emulator-sealed"
	SymbolRequest429Name     = "emulator-429"
	SymbolRequestDropName    = "emulator-drop"
	SymbolRequestPreviewName = "emulator-preview"

	// KnownBlobID is a blob the emulator holds: entries naming it come back
	// "created"; any other blob comes back "blobMissing".
	KnownBlobID = "cZSUgWLJKRZmXuaLhvXo9NRdb2Be9Ek64KVv2qsz8jYA"
)

// Pangeo Radar: a user id, the known report and a sample instance.
const (
	RadarUserID     = "2c6a9f0e-8f3b-4f57-9a55-3c9e2d7b1a10"
	RadarReportID   = "5ed7905a-4735-4cf7-b1ab-521e066fb971" // known: 201
	RadarInstanceID = "868cf2e9-bd6d-4bac-96ba-2b08120d8cf9"
	// RadarReportServerError always answers 500 (and creates nothing).
	RadarReportServerError = "5ed7905a-4735-4cf7-b1ab-000000000500"
	// RadarReportDrop creates the task, then closes the connection without
	// an answer: the client cannot know whether the task exists.
	RadarReportDrop = "5ed7905a-4735-4cf7-b1ab-00000000d209"
	// RadarDemoAPIKey is what `diagctl emulator --require-api-key` demands
	// in PgrApiKey (Options.RadarAPIKey).
	RadarDemoAPIKey = "pgr-emulator-api-key-0001"
	// RadarReportName is the name of the known report in the task model.
	RadarReportName = "Weekly incident summary"
)

// kind is what a fixture ID does when asked for its archive.
type kind int

const (
	kindUnknown     kind = iota
	kindOK               // a small archive
	kindNoReport         // sandbox: 400 code 4
	kindDeleted          // sandbox: 404 code 7
	kindServerError      // always 500
	kind503              // 503 twice in every three requests
	kindTextOK200        // sandbox: 200 text/plain error
	kindDropOnce         // requests without Range cut mid-body
	kindDropNoRange      // no ranges; odd requests cut mid-body
	kindSlow             // 2 MiB at SlowRate
	kindStall            // half the body, then silence
	kindBig              // BigSize bytes, generated
	kindZipSlip          // entry "../evil.txt"
	kindSymlink          // symlink entry
	kindEvilName         // hostile Content-Disposition
	kind200Error         // logs: 200 with a JSON error body
	kindBusy             // logs: 200 JSON "try again later" twice in three
	kindNetBusy          // logs: 500 "network busy" every other request
)

// fixture ties an ID to its behaviour and a line for Describe. Slices of
// constants are laid out by the linker, so no work happens at start-up.
type fixture struct {
	id   string
	kind kind
	note string
}

var sandboxFixtures = []fixture{
	{TaskOK, kindOK, "small debug report (3 files)"},
	{TaskOK2, kindOK, "another small debug report"},
	{TaskNoDebugReport, kindNoReport, `400 {"code":4} task artifacts disabled`},
	{TaskDeleted, kindDeleted, `404 {"code":7} task deleted`},
	{TaskServerError, kindServerError, "always 500"},
	{Task503, kind503, "503 + Retry-After: 1 on 2 of every 3 requests"},
	{TaskTextOK200, kindTextOK200, "200 text/plain error body (not an archive)"},
	{TaskDropOnce, kindDropOnce, "~1 MiB; a request without Range is cut mid-body; ranges work"},
	{TaskDropNoRange, kindDropNoRange, "~1 MiB; no ranges; odd-numbered requests cut mid-body"},
	{TaskSlow, kindSlow, "2 MiB sent at the slow rate"},
	{TaskStall, kindStall, "sends half the body, then nothing"},
	{TaskBig, kindBig, "generated archive of the big size, ranges work"},
	{TaskZipSlip, kindZipSlip, `valid ZIP with an entry "../evil.txt"`},
	{TaskSymlink, kindSymlink, "valid ZIP with a symlink entry"},
	{TaskEvilName, kindEvilName, `Content-Disposition filename="../../etc/evil.zip"`},
}

var logsFixtures = []fixture{
	{SubJobOK, kindOK, "small log archive, application/zip"},
	{SubJobOK2, kindOK, "small log archive, application/octet-stream"},
	{SubJobOK3, kindOK, "small log archive, no Content-Disposition"},
	{SubJob200Error, kind200Error, `always 200 with {"error_code":"CC.00050001"}`},
	{SubJobBusy, kindBusy, `200 {"error_code":"CC.00050012"} on 2 of every 3 requests`},
	{SubJobNetBusy, kindNetBusy, `500 {"error_code":"CC.00000000"} on every other request`},
	{SubJob503, kind503, "503 + Retry-After: 1 on 2 of every 3 requests"},
	{SubJobDropOnce, kindDropOnce, "~1 MiB; a request without Range is cut mid-body; ranges work"},
	{SubJobDropNoRange, kindDropNoRange, "~1 MiB; no ranges; odd-numbered requests cut mid-body"},
	{SubJobSlow, kindSlow, "2 MiB sent at the slow rate"},
	{SubJobStall, kindStall, "sends half the body, then nothing"},
	{SubJobBig, kindBig, "generated archive of the big size, ranges work"},
	{SubJobZipSlip, kindZipSlip, `valid ZIP with an entry "../evil.txt"`},
	{SubJobSymlink, kindSymlink, "valid ZIP with a symlink entry"},
	{SubJobEvilName, kindEvilName, `Content-Disposition filename="../../etc/evil.zip"`},
}

func lookup(fixtures []fixture, id string) kind {
	for _, f := range fixtures {
		if f.id == id {
			return f.kind
		}
	}
	return kindUnknown
}

// Huawei IAM (POST /v3/auth/tokens) and AK/SK signing on the CodeArts
// path. Every IAM user is in IAMDomain; IAMPassword logs each one in
// except the locked one. Issued tokens work on the CodeArts path until
// their expires_at (Options.Now's clock).
const (
	IAMDomain   = "emulator-account"
	IAMPassword = "iam-pass-0001"

	IAMUser        = "logs-user" // token for 24 hours
	IAMUserID      = "6a3b0e2c4d5f47a19e8b7c6d5e4f3a21"
	IAMMFAUser     = "mfa-user"                         // needs methods ["password","totp"]
	IAMMFAUserID   = "7b4c1f3d5e6048b2af9c8d7e6f5a4b32" // totp.user.id
	IAMMFACode     = "424242"                           // the one passcode accepted
	IAMShortUser   = "short-user"                       // token for 6 minutes: one minute of cache reuse
	IAMShortID     = "8c5d2a4e6f7159c3ba0d9e8f7a6b5c43"
	IAMExpiredUser = "expired-user" // token whose expires_at has passed: CodeArts answers 401 CC.00000003
	IAMExpiredID   = "9d6e3b5f7a826ad4cb1eaf9a8b7c6d54"
	IAMLockedUser  = "locked-user" // always 401 "locked", whatever the password

	// LogsAccessKey/LogsSecretKey sign CodeArts requests (SDK-HMAC-SHA256).
	LogsAccessKey = "EMUAK7Q2X4M9K1V8B3N5"
	LogsSecretKey = "emuSK0p9o8i7u6y5t4r3e2w1q0a9s8d7f6g5h4j3"
)
