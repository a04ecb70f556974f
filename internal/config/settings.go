package config

import "strings"

// Setting is one key users can set by flag, environment or config file.
type Setting struct {
	Key     string   // dotted key in the config file, e.g. "sandbox.server"
	Env     []string // environment variables, first wins
	Secret  bool     // never printed; its presence makes file permissions matter
	Default string
	Help    string
	// Values lists the only values the key takes (booleans, enums), for
	// completion; nil for free text.
	Values []string
}

// services whose settings all take ca-cert, insecure and proxy as well.
var services = []string{"sandbox", "logs", "symbols", "report-task"}

// Settings is every key diagctl knows, in the order `config list` shows them.
var Settings = buildSettings()

func buildSettings() []Setting {
	s := []Setting{
		{Key: "sandbox.server", Help: "Kaspersky Research Sandbox host or URL (a bare host means https)"},
		{Key: "sandbox.user", Help: "sandbox user name"},
		{Key: "sandbox.password", Secret: true, Help: "sandbox password"},
		{Key: "logs.endpoint", Help: "CodeArts Check endpoint URL"},
		{Key: "logs.region", Help: "Huawei Cloud region, used when no endpoint is set"},
		{Key: "logs.token", Secret: true, Help: "IAM token"},
		{Key: "logs.iam-user", Help: "IAM user name, to get a token with a password"},
		{Key: "logs.iam-domain", Help: "account (domain) name the IAM user belongs to"},
		{Key: "logs.iam-user-id", Help: "IAM user id, for MFA logins (console: My Credentials)"},
		{Key: "logs.iam-password", Secret: true, Help: "IAM user's password (never cached)"},
		{Key: "logs.iam-endpoint", Help: "IAM endpoint URL (default https://iam.<region>.myhuaweicloud.com)"},
		{Key: "logs.access-key", Help: "access key (AK) for signing requests instead of a token"},
		{Key: "logs.secret-key", Secret: true, Help: "secret key (SK) for signing requests"},
		{Key: "symbols.organization", Help: "Azure DevOps organization"},
		{Key: "symbols.url", Default: "https://artifacts.dev.azure.com", Help: "symbol service URL"},
		{Key: "symbols.token", Secret: true, Env: []string{"DIAGCTL_SYMBOLS_TOKEN", "AZURE_DEVOPS_EXT_PAT"}, Help: "PAT, or Entra token with auth bearer"},
		{Key: "symbols.auth", Default: "pat", Help: "pat or bearer", Values: []string{"pat", "bearer"}},
		{Key: "report-task.server", Help: "Pangeo Radar host or URL"},
		{Key: "report-task.user-id", Help: "user id sent as Pgr-User-Id"},
		{Key: "report-task.api-key", Secret: true, Help: "API key sent as PgrApiKey"},
	}
	for _, svc := range services {
		s = append(s,
			Setting{Key: svc + ".ca-cert", Help: "extra PEM bundle to trust for " + svc},
			Setting{Key: svc + ".insecure", Help: "skip TLS verification for " + svc + " (true/false)", Values: []string{"true", "false"}},
			Setting{Key: svc + ".proxy", Help: "proxy URL for " + svc + ", or none to go direct (default: HTTPS_PROXY, HTTP_PROXY, NO_PROXY)"},
		)
	}
	for i := range s {
		if s[i].Env == nil {
			s[i].Env = []string{EnvName(s[i].Key)}
		}
	}
	return s
}

// EnvName is the variable for a key: DIAGCTL_ + the key upper-cased, with
// dots and dashes turned into underscores.
func EnvName(key string) string {
	return "DIAGCTL_" + strings.NewReplacer(".", "_", "-", "_").Replace(strings.ToUpper(key))
}

// Lookup finds a setting by key (case-insensitive, as viper folds case).
func Lookup(key string) (Setting, bool) {
	key = strings.ToLower(key)
	for _, s := range Settings {
		if s.Key == key {
			return s, true
		}
	}
	return Setting{}, false
}

// Keys lists every known key (for completion and error messages).
func Keys() []string {
	keys := make([]string, len(Settings))
	for i, s := range Settings {
		keys[i] = s.Key
	}
	return keys
}
