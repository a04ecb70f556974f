package config

import (
	"fmt"
	"strings"

	"github.com/diagctl/diagctl/internal/exit"
)

// Require is the resolved value of key, or a usage error (exit 2) whose
// hint names every way to set it, derived from the settings table and
// the bound flag: "pass --server or set DIAGCTL_SANDBOX_SERVER (or
// sandbox.server in the config file)". An unknown key is a bug in
// diagctl, not a user's mistake: Require panics, and the tests that
// resolve every service's settings catch it.
func (c *Config) Require(key string) (string, error) {
	s := MustLookup(key)
	if v := c.Get(s.Key).Value; v != "" {
		return v, nil
	}
	return "", exit.UsageErrorf(c.HowToSet(s.Key), "no %s", strings.ReplaceAll(s.Key, ".", " "))
}

// HowToSet says how the user can give key: its flag (when one is bound),
// its environment variables and its config key.
func (c *Config) HowToSet(key string) string {
	s := MustLookup(key)
	var b strings.Builder
	if f, ok := c.flags[s.Key]; ok {
		b.WriteString("pass --" + f.Name + " or ")
	}
	b.WriteString("set " + strings.Join(s.Env, " or "))
	fmt.Fprintf(&b, " (or %s in the config file)", s.Key)
	return b.String()
}

// MustLookup is Lookup for keys written in diagctl's code: an unknown
// key panics.
func MustLookup(key string) Setting {
	s, ok := Lookup(key)
	if !ok {
		panic("config: unknown setting " + key + " (add it to config.Settings)")
	}
	return s
}
