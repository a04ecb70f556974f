package demo

import (
	emu "github.com/diagctl/diagctl/internal/emulator"
)

// step is one command of the demo: what it shows, the command line after
// "diagctl", the secret it pipes on stdin (shown as the variable a user
// would keep it in), and the exit status it must end with.
type step struct {
	title string
	args  func(s *session) []string
	// secretVar names the variable the command line pipes in
	// (printf '%s\n' "$VAR" | diagctl ...); secret is its value.
	secretVar string
	secret    string
	want      int
	// sets names the shell variable the command's result goes into
	// (VAR=$(diagctl ...)): its stdout, or with --json the "id" field of
	// its document. Later steps that pass the value show "$VAR".
	sets string
}

// steps is the demo, in order. A new command is one more row: its
// arguments point at s.URL and write under s.Dir.
var steps = []step{
	{
		title:     "Kaspersky Research Sandbox: save a task's debug report",
		secretVar: "SANDBOX_PASSWORD", secret: emu.SandboxPassword,
		args: func(s *session) []string {
			return []string{"sandbox", "debug-report", "--server", s.URL, "--user", emu.SandboxUser, "--password-stdin",
				"-d", s.path("reports"), emu.TaskOK}
		},
	},
	{
		title:     "Kaspersky Research Sandbox: a task without a debug report fails, with a hint (on purpose)",
		secretVar: "SANDBOX_PASSWORD", secret: emu.SandboxPassword,
		args: func(s *session) []string {
			return []string{"sandbox", "debug-report", "--server", s.URL, "--user", emu.SandboxUser, "--password-stdin",
				"-d", s.path("reports"), emu.TaskNoDebugReport}
		},
		want: 5,
	},
	{
		title:     "Huawei CodeArts Check: save a sub-job's log archive with an IAM token",
		secretVar: "IAM_TOKEN", secret: emu.LogsToken,
		args: func(s *session) []string {
			return []string{"logs", "download", "--endpoint", s.URL, "--token-stdin", "-d", s.path("logs"), emu.SubJobOK}
		},
	},
	{
		title:     "Huawei CodeArts Check: sign in with an IAM user and password (the token is cached) and download",
		secretVar: "IAM_PASSWORD", secret: emu.IAMPassword,
		args: func(s *session) []string {
			return []string{"logs", "download", "--endpoint", s.URL, "--iam-endpoint", s.URL, "--region", "cn-north-4",
				"--iam-domain", emu.IAMDomain, "--iam-user", emu.IAMUser, "--iam-password-stdin",
				"-d", s.path("logs"), emu.SubJobOK2}
		},
	},
	{
		title: "Huawei IAM: forget the cached tokens",
		args:  func(s *session) []string { return []string{"logs", "token", "--clear-cache"} },
	},
	{
		title: "Azure DevOps symbols: client key and blob identifier of a symbol file (offline)",
		args:  func(s *session) []string { return []string{"symbols", "keys", s.path(symbolFile)} },
	},
	{
		title:     "Azure DevOps symbols: create a symbol request (its id, on stdout, goes into $REQUEST_ID)",
		secretVar: symbolsTokenVar, secret: emu.SymbolsPAT, sets: "REQUEST_ID",
		args: func(s *session) []string {
			return append([]string{"symbols", "request", "create"}, append(s.symbols(), "demo-1.0.0")...)
		},
	},
	{
		title:     "Azure DevOps symbols: add the file's debug entry to the request (blobMissing: diagctl does not upload blobs)",
		secretVar: symbolsTokenVar, secret: emu.SymbolsPAT,
		args: func(s *session) []string {
			return append([]string{"symbols", "create-entries"}, append(s.symbols(), s.vars["REQUEST_ID"], s.path(symbolFile))...)
		},
	},
	{
		title:     "Azure DevOps symbols: will a debugger find it? Not yet: missing, exit status 4 (expected; a CI step can test it)",
		secretVar: symbolsTokenVar, secret: emu.SymbolsPAT,
		args: func(s *session) []string {
			return append([]string{"symbols", "lookup"}, append(s.symbols(), s.path(symbolFile))...)
		},
		want: 4,
	},
	{
		title:     "Azure DevOps symbols: publish in one command: create a request, add an entry of a blob the service holds, seal it",
		secretVar: symbolsTokenVar, secret: emu.SymbolsPAT,
		args: func(s *session) []string {
			return append([]string{"symbols", "create-entries"}, append(s.symbols(), "--request-name", "demo-1.0.1", "--seal",
				"--client-key", publishedKey, "--blob-id", emu.KnownBlobID, "--size", "57344")...)
		},
	},
	{
		title:     "Azure DevOps symbols: a debugger finds the published key (exit status 0)",
		secretVar: symbolsTokenVar, secret: emu.SymbolsPAT,
		args: func(s *session) []string {
			return append([]string{"symbols", "lookup"}, append(s.symbols(), publishedKey)...)
		},
	},
	{
		title: "Pangeo Radar: create a weekly report task",
		args: func(s *session) []string {
			return []string{"report-task", "create", "--server", s.URL, "--user-id", emu.RadarUserID,
				"--interval", "0 3 * * 1", "--instance", emu.RadarInstanceID, "--report-id", emu.RadarReportID}
		},
	},
	{
		title: "Pangeo Radar: move a task to weekdays at 07:00",
		args: func(s *session) []string {
			return []string{"report-task", "update", emu.RadarTaskID, "--server", s.URL, "--user-id", emu.RadarUserID,
				"--interval", "0 7 * * 1-5", "--instance", emu.RadarInstanceID}
		},
	},
}

// symbolsTokenVar is the variable the symbols steps pipe their token from.
const symbolsTokenVar = "SYMBOLS_TOKEN"

// publishedKey is the client key the one-command publish files under the
// emulator's known blob (a PDB's name/GUID+age/name).
const publishedKey = "demo.pdb/497b72f6390a44fc878e5a2d63b6cc4b1/demo.pdb"

// symbols are the settings every symbols step passes: the emulator's URL
// and organization, and the token on stdin.
func (s *session) symbols() []string {
	return []string{"--url", s.URL, "--organization", emu.SymbolsOrg, "--token-stdin"}
}
