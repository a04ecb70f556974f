package emulator

import (
	"fmt"
	"io"
	"strconv"
)

// Env returns the environment that points diagctl at an emulator serving at
// baseURL, as KEY=VALUE lines (for the demo command, testscript and people).
func (e *Emulator) Env(baseURL string) []string {
	env := []string{
		"DIAGCTL_SANDBOX_SERVER=" + baseURL,
		"DIAGCTL_SANDBOX_USER=" + SandboxUser,
		"DIAGCTL_SANDBOX_PASSWORD=" + SandboxPassword,
		"DIAGCTL_LOGS_ENDPOINT=" + baseURL,
		"DIAGCTL_LOGS_TOKEN=" + e.opts.LogsToken,
		"DIAGCTL_LOGS_IAM_ENDPOINT=" + baseURL,
		"DIAGCTL_SYMBOLS_URL=" + baseURL,
		"DIAGCTL_SYMBOLS_ORGANIZATION=" + SymbolsOrg,
		"DIAGCTL_SYMBOLS_TOKEN=" + SymbolsPAT,
		"DIAGCTL_SYMBOLS_AUTH=pat",
		"DIAGCTL_REPORT_TASK_SERVER=" + baseURL,
		"DIAGCTL_REPORT_TASK_USER_ID=" + RadarUserID,
	}
	if e.opts.RadarAPIKey != "" {
		env = append(env, "DIAGCTL_REPORT_TASK_API_KEY="+e.opts.RadarAPIKey)
	}
	return env
}

// Describe prints what a person needs to use the emulator at baseURL: the
// endpoints, credentials, known and fault IDs, environment and examples.
// The credentials are printed on purpose: they exist only here.
func (e *Emulator) Describe(w io.Writer, baseURL string) {
	o := e.opts
	p := func(format string, a ...any) { fmt.Fprintf(w, format+"\n", a...) }
	fault := o.Fault
	if fault == FaultNone {
		fault = "none"
	}
	p("diagctl emulator: Kaspersky Sandbox, CodeArts Check, Azure symbols and Pangeo Radar at %s", baseURL)
	p("For tests and demos only: the credentials below are fixed and public.")
	p("Fault mode: %s   Slow rate: %s/s   Big archive: %d bytes (%s)", fault, humanSize(int64(o.SlowRate)), o.BigSize, humanSize(o.BigSize))
	p("")

	p("Kaspersky Research Sandbox   GET /api/v1/sandbox/tasks/{task_id}/debug_report")
	p("  HTTP Basic  user %s  password %s", SandboxUser, SandboxPassword)
	for _, f := range sandboxFixtures {
		p("  %s  %s", f.id, f.note)
	}
	p("  %s  generated: dump of SSSS KiB (hex), fault FFFF (0000 none, 0d00 drop, 0503, 057a stall, 0510 slow, 0200 text, 0e01 zip-slip, 0e02 symlink, 0e03 hostile name), serial N", familyPrefix+"SSSS-FFFF-8000-NNNNNNNNNNNN")
	p("  %-36s  %s", "any other GUID, e.g. "+TaskUnknown[:8]+"...", `400 {"code":6} task not found; a malformed id: 400 {"code":29}`)
	p("")

	p("Huawei CodeArts Check        GET /v1/log-file?sub_job_id={32 characters}")
	p("  X-Auth-Token  %s", o.LogsToken)
	p("  expired token (401 CC.00000003)  %s", LogsExpiredToken)
	for _, f := range logsFixtures {
		p("  %s  %s", f.id, f.note)
	}
	p("  %-32s  %s", "any other 32-character id", "400 CC.00000001.400 (not found); malformed: 400 CC.00000001.400")
	p("  AK/SK (SDK-HMAC-SHA256, X-Sdk-Date within 15 min)  access key %s  secret key %s", LogsAccessKey, LogsSecretKey)
	p("  IAM tokens from POST %s work here until their expires_at", iamTokensPath)
	p("")

	e.describeIAM(p)

	preview := "7.1 accepted; 7.1-preview.1 too"
	if o.RequirePreview {
		preview = `only with "-preview" (e.g. 7.1-preview.1); plain 7.1 gets 400`
	}
	p("Azure DevOps symbols         POST /%s/_apis/symbol/requests/{requestId}?collection=debugentries&api-version=7.1", SymbolsOrg)
	p("  POST /%s/_apis/symbol/requests {name,description,expirationDate}  201 (30 days by default), 409 if the name exists", SymbolsOrg)
	p("  GET, PATCH {\"status\":\"sealed\"} /%s/_apis/symbol/requests/{requestId}  show, seal", SymbolsOrg)
	p("  GET /%s/_apis/symbol/symsrv/{clientKey}  302 to a signed URL for a created entry, else 404", SymbolsOrg)
	p("  organization  %s", SymbolsOrg)
	p("  PAT (Basic, empty user name)  %s", SymbolsPAT)
	p("  Bearer token  %s", SymbolsBearer)
	p("  expired PAT (203 HTML sign-in page)  %s", SymbolsExpiredPAT)
	p("  api-version   %s", preview)
	p("  %s  open request %q: entries are stored", SymbolRequestOpen, SymbolRequestOpenName)
	p("  %s  sealed request %q: 403 RequestSealedException", SymbolRequestSealed, SymbolRequestSealedName)
	p("  %s  open; odd-numbered entries POSTs: 429 + Retry-After: 1", SymbolRequest429)
	p("  %s  open; odd-numbered entries POSTs stored, then the connection closed unanswered", SymbolRequestDrop)
	p("  %s  open; entries POST wants an api-version with -preview", SymbolRequestPreview)
	p("  %-64s  %s", "any other id", "404 RequestNotFoundException")
	p("  blob %s is held: its entries come back \"created\", others \"blobMissing\"", KnownBlobID)
	p("")

	apiKey := "not checked"
	if o.RadarAPIKey != "" {
		apiKey = "required: " + o.RadarAPIKey
	}
	p("Pangeo Radar                 POST /cruddy/v2/report_tasks/create  {interval, instance, report_id}")
	p("                             PUT  /cruddy/v2/report_tasks/update  {id, interval, instance}")
	p("  Pgr-User-Id  %s (any UUID)   PgrApiKey  %s", RadarUserID, apiKey)
	if o.RadarFault != FaultNone {
		p("  Radar fault mode: %s (ids without a fault of their own)", o.RadarFault)
	}
	for _, f := range radarReportFixtures {
		p("  report_id %s  %s", f.id, f.note)
	}
	p("  report_id %-36s  %s", "any other UUID", "404 report not found")
	for _, f := range radarTaskFixtures {
		p("  task id   %s  %s", f.id, f.note)
	}
	p("  task id   %-36s  %s", "a created task's id", "200; any other UUID: 404 task not found")
	p("  instance  %s  (any UUID is accepted)", RadarInstanceID)
	p("")

	p("Statistics   GET %s  {\"connections\": accepted since start, \"open\": open now}", statsPath)
	p("")

	p("Environment:")
	for _, kv := range e.Env(baseURL) {
		p("  export %s", kv)
	}
	p("")

	p("Try:")
	p("  curl -u %s:%s -o report.zip %s/api/v1/sandbox/tasks/%s/debug_report", SandboxUser, SandboxPassword, baseURL, TaskOK)
	p("  curl -H \"X-Auth-Token: $DIAGCTL_LOGS_TOKEN\" -o logs.zip '%s/v1/log-file?sub_job_id=%s'", baseURL, SubJobOK)
	p("  curl -u :%s -H 'Content-Type: application/json' -d '{\"debugEntries\":[{\"clientKey\":\"symbol.exe/557a1d8ee000/symbol.exe\",\"blobIdentifier\":{\"identifierValue\":\"%s\"}}]}' '%s/%s/_apis/symbol/requests/%s?collection=debugentries&api-version=7.1'",
		SymbolsPAT, KnownBlobID, baseURL, SymbolsOrg, SymbolRequestOpen)
	p("  curl -H 'Pgr-User-Id: %s'%s -H 'Content-Type: application/json' -d '{\"interval\":\"0 6 * * 1\",\"instance\":\"%s\",\"report_id\":\"%s\"}' %s%s",
		RadarUserID, apiKeyHeader(o.RadarAPIKey), RadarInstanceID, RadarReportID, baseURL, radarPath)
	p("  diagctl sandbox debug-report %s %s", TaskOK, TaskOK2)
	p("  diagctl logs download %s", SubJobOK)
	p("  diagctl symbols create-entries %s --client-key symbol.exe/557a1d8ee000/symbol.exe --blob-id %s", SymbolRequestOpen, KnownBlobID)
	p("  diagctl report-task create --interval '0 6 * * 1' --instance %s --report-id %s", RadarInstanceID, RadarReportID)
}

func apiKeyHeader(key string) string {
	if key == "" {
		return ""
	}
	return " -H 'PgrApiKey: " + key + "'"
}

// humanSize writes n in the largest binary unit that divides it, else bytes.
func humanSize(n int64) string {
	for _, u := range []struct {
		suffix string
		size   int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		switch {
		case n >= u.size && n%u.size == 0:
			return fmt.Sprintf("%d %s", n/u.size, u.suffix)
		case n >= u.size:
			// A decimal size (--big-size 2GB) is not a whole number of
			// binary units: show it to three significant figures.
			return strconv.FormatFloat(float64(n)/float64(u.size), 'f', max(0, 3-len(strconv.FormatInt(n/u.size, 10))), 64) + " " + u.suffix
		}
	}
	return fmt.Sprintf("%d B", n)
}
