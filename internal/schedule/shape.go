package schedule

import (
	"fmt"
	"strings"
	"time"
)

// descriptors are robfig's (and Vixie cron's) named schedules, with the
// five fields that say the same. @reboot has none.
var descriptors = map[string]string{
	"@yearly":   "0 0 1 1 *",
	"@annually": "0 0 1 1 *",
	"@monthly":  "0 0 1 * *",
	"@weekly":   "0 0 * * 0",
	"@daily":    "0 0 * * *",
	"@midnight": "0 0 * * *",
	"@hourly":   "0 * * * *",
}

// checkShape refuses what is not five fields: nothing, a descriptor, a
// TZ= prefix, six fields with seconds, any other count.
func checkShape(interval, text string, parts []string) error {
	switch {
	case text == "":
		return whole(interval, "is empty", fiveFields, `for example "0 3 * * 1" is 03:00 every Monday`)
	case strings.HasPrefix(text, "@"):
		return descriptorErr(interval, parts)
	case strings.HasPrefix(text, "TZ=") || strings.HasPrefix(text, "CRON_TZ="):
		rest := strings.Join(parts[1:], " ")
		suggest := ""
		if len(parts) == 6 {
			if _, err := Parse(rest); err == nil {
				suggest = fmt.Sprintf("use %q; Radar runs it in its own time zone", rest)
			}
		}
		return whole(interval, "has a time zone prefix, which Radar does not document", fiveFields, suggest)
	case len(parts) == 6:
		return secondsErr(interval, parts)
	case len(parts) != 5:
		return whole(interval, fmt.Sprintf("has %d %s", len(parts), plural(len(parts), "field", "fields")), fiveFields, "")
	}
	return nil
}

func descriptorErr(interval string, parts []string) error {
	name := strings.ToLower(parts[0])
	const problem = "is a descriptor, not five cron fields; Radar documents only five fields"
	if five, ok := descriptors[name]; ok && len(parts) == 1 {
		return whole(interval, problem, "", fmt.Sprintf("use %q, the same schedule in five fields", five))
	}
	if name == "@every" && len(parts) == 2 {
		if five := everyAsFields(parts[1]); five != "" {
			return whole(interval, problem, "", fmt.Sprintf("use %q, the same schedule in five fields", five))
		}
		return whole(interval, problem, "",
			"five fields can say every N minutes only where N divides 60, and every N hours where N divides 24; pick such a period")
	}
	return whole(interval, problem, fiveFields, "")
}

// everyAsFields is the five-field form of "@every d", when there is one:
// robfig's @every counts from when the scheduler started, cron from the
// top of the hour or day, so they agree only for periods that divide it.
func everyAsFields(d string) string {
	p, err := time.ParseDuration(d)
	if err != nil || p <= 0 || p%time.Minute != 0 {
		return ""
	}
	switch m := int(p / time.Minute); {
	case m == 1:
		return "* * * * *"
	case m < 60 && 60%m == 0:
		return fmt.Sprintf("*/%d * * * *", m)
	case m == 60:
		return "0 * * * *"
	case m%60 == 0 && m < 24*60 && 24%(m/60) == 0:
		return fmt.Sprintf("0 */%d * * *", m/60)
	case m == 24*60:
		return "0 0 * * *"
	}
	return ""
}

// secondsErr refuses six fields, read as seconds first (robfig's and
// Quartz's order), and offers the last five.
func secondsErr(interval string, parts []string) error {
	five := strings.Join(parts[1:], " ")
	const problem = "has 6 fields; Radar documents five, without seconds"
	if _, err := Parse(five); err != nil {
		return whole(interval, problem, "", "")
	}
	if n, ok := number(parts[0]); ok && n == 0 {
		return whole(interval, problem, "", fmt.Sprintf("use %q, the same schedule without the seconds field", five))
	}
	return whole(interval, problem, "",
		fmt.Sprintf("five fields cannot say seconds; %q runs at second 0 of the same minutes", five))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// joinWords is "a", "a and b", "a, b and c".
func joinWords(words []string, and string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + and + " " + words[len(words)-1]
}
