package demo

import "strings"

// commandLine is st's args as a user would type them in a POSIX shell:
// after printf '%s\n' "$VAR" | when the secret comes from a variable, an
// argument an earlier step set shown as "$NAME", and inside NAME=$(...)
// when this step sets one (piped through jq -r .id with --json).
func (s *session) commandLine(args []string, st step, asJSON bool) string {
	q := make([]string, 0, len(args)+1)
	q = append(q, "diagctl")
	for _, a := range args {
		q = append(q, s.word(a))
	}
	line := strings.Join(q, " ")
	if st.secretVar != "" {
		line = `printf '%s\n' "$` + st.secretVar + `" | ` + line
	}
	if st.sets != "" {
		if asJSON {
			line += " | jq -r .id"
		}
		line = st.sets + "=$(" + line + ")"
	}
	return line
}

// word is a as typed: "$NAME" when an earlier step set NAME to it, else
// quoted as needed.
func (s *session) word(a string) string {
	for name, v := range s.vars {
		if v != "" && v == a {
			return `"$` + name + `"`
		}
	}
	return shellQuote(a)
}

// shellQuote leaves words of safe characters alone and single-quotes the
// rest, a quote inside closed, escaped and reopened (POSIX sh).
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
