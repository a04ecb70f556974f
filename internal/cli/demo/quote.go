package demo

import "strings"

// commandLine is args as a user would type them in a POSIX shell, after
// printf '%s\n' "$VAR" | when the secret comes from a variable.
func commandLine(args []string, secretVar string) string {
	q := make([]string, 0, len(args)+1)
	q = append(q, "diagctl")
	for _, a := range args {
		q = append(q, shellQuote(a))
	}
	line := strings.Join(q, " ")
	if secretVar != "" {
		line = `printf '%s\n' "$` + secretVar + `" | ` + line
	}
	return line
}

// shellQuote leaves words of safe characters alone and single-quotes the
// rest, a quote inside closed, escaped and reopened (POSIX sh).
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
