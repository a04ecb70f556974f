package cli

import "runtime/debug"

// version is set at build time with -ldflags "-X github.com/diagctl/diagctl/internal/cli.version=1.2.3".
var version = ""

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
