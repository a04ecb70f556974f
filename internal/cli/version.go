package cli

import (
	"runtime/debug"
	"strings"
)

// Set at build time (.goreleaser.yaml):
//
//	-ldflags "-X github.com/diagctl/diagctl/internal/cli.version=1.2.3
//	          -X github.com/diagctl/diagctl/internal/cli.commit=abc1234...
//	          -X github.com/diagctl/diagctl/internal/cli.date=2026-01-02T03:04:05Z"
var version, commit, date string

// Version is the build's version: the linker-set value, else the module
// version recorded by `go install`, else "dev".
func Version() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

// BuildInfo is the commit and build date of this binary: the linker-set
// values, else what the go command recorded from the VCS checkout (empty
// when neither says).
func BuildInfo() (rev, when string) {
	c, d := commit, date
	if c != "" && d != "" {
		return c, d
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision" && c == "":
				c = s.Value
			case s.Key == "vcs.time" && d == "":
				d = s.Value
			}
		}
	}
	return c, d
}

// versionLine is what `diagctl version` and --version print:
// "diagctl 1.2.3 (commit abc1234, built 2026-01-02T03:04:05Z)".
func versionLine(v string) string {
	c, d := BuildInfo()
	var extra []string
	if c != "" {
		extra = append(extra, "commit "+c)
	}
	if d != "" {
		extra = append(extra, "built "+d)
	}
	if len(extra) == 0 {
		return "diagctl " + v
	}
	return "diagctl " + v + " (" + strings.Join(extra, ", ") + ")"
}
