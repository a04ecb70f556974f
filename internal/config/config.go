// Package config resolves settings from flags, the environment and one
// YAML file, through a private viper instance (never viper's global one).
//
// Precedence: flag, environment, profiles.<profile>.<key>, top-level <key>,
// default.
package config

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"

	"github.com/diagctl/diagctl/internal/exit"
)

// Config is the loaded file plus the environment and the bound flags.
type Config struct {
	path    string
	profile string
	exists  bool
	mode    fs.FileMode
	// openSecrets: the file holds a secret and others can read it. Its
	// secrets are then not used, but the rest of it is, and set/unset
	// still work so that the user can fix it.
	openSecrets bool
	v           *viper.Viper
	getenv      func(string) string
	flags       map[string]*pflag.Flag
}

// DefaultPath is DIAGCTL_CONFIG, else $XDG_CONFIG_HOME/diagctl/config.yaml,
// else ~/.config/diagctl/config.yaml.
func DefaultPath(getenv func(string) string) string {
	if p := getenv("DIAGCTL_CONFIG"); p != "" {
		return p
	}
	dir := getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home := getenv("HOME")
		if home == "" {
			if h, err := os.UserHomeDir(); err == nil {
				home = h
			}
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "diagctl", "config.yaml")
}

var profileName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_-]+$`) })

// Load reads the file at path (a missing file is an empty configuration:
// see Exists). A file that holds a secret and is readable by others loads,
// but its secrets are refused (see Secret).
func Load(path, profile string, getenv func(string) string) (*Config, error) {
	c := &Config{path: path, profile: profile, getenv: getenv, flags: map[string]*pflag.Flag{}, v: viper.New()}
	c.v.SetConfigType("yaml")
	if profile != "" && !profileName().MatchString(profile) {
		return nil, exit.UsageErrorf("profile names use letters, digits, '-' and '_'", "bad profile name %q", profile)
	}
	// viper folds keys to lower case; so must Set, or "--profile Prod"
	// would write a second section beside "prod".
	profile = strings.ToLower(profile)
	c.profile = profile
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, exit.Wrapf(err, exit.Failure, "check the path given by --config or DIAGCTL_CONFIG", "cannot read config file")
	default:
		st, err := os.Stat(path)
		if err != nil {
			return nil, exit.Wrapf(err, exit.Failure, "", "cannot read config file")
		}
		c.exists, c.mode = true, st.Mode().Perm()
		if err := c.v.ReadConfig(bytes.NewReader(data)); err != nil {
			return nil, exit.Wrapf(err, exit.Usage, "fix the file, or point --config elsewhere", "config file %s is not valid YAML", path)
		}
		c.openSecrets = c.mode&0o077 != 0 && c.holdsSecret()
	}
	// A profile written as "prod:" with nothing under it yet is defined.
	if profile != "" && !slices.Contains(c.Profiles(), strings.ToLower(profile)) {
		return nil, exit.UsageErrorf(c.profileHint(), "profile %q is not defined in %s", profile, path)
	}
	return c, nil
}

func (c *Config) profileHint() string {
	names := c.Profiles()
	if len(names) == 0 {
		return "add a profiles." + c.profile + " section to the config file, or drop --profile / DIAGCTL_PROFILE"
	}
	return "known profiles: " + strings.Join(names, ", ")
}

// ProfileNames lists the profiles defined in the file at path, for shell
// completion: it reads nothing but the names, uses no secret, and a
// missing, unreadable or broken file simply has none.
func ProfileNames(path string) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	return profileNamesIn(data)
}

func profileNamesIn(data []byte) []string {
	var doc struct {
		Profiles map[string]yaml.Node `yaml:"profiles"`
	}
	if yaml.Unmarshal(data, &doc) != nil {
		return nil
	}
	names := make([]string, 0, len(doc.Profiles))
	for k := range doc.Profiles {
		if profileName().MatchString(k) {
			names = append(names, strings.ToLower(k))
		}
	}
	sort.Strings(names)
	return slices.Compact(names)
}

// Profiles lists the profile names defined in the file.
func (c *Config) Profiles() []string {
	m := c.v.GetStringMap("profiles")
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// Exists tells whether the file was there when loaded (or has been
// written since).
func (c *Config) Exists() bool { return c.exists }

// RequireFile is the error for a config file that was named explicitly
// (by --config or DIAGCTL_CONFIG, said in origin) and does not exist: a
// typo in the name must not silently mean "no settings".
func (c *Config) RequireFile(origin string) error {
	if c.exists {
		return nil
	}
	return exit.UsageErrorf("check the name, or create the file with: diagctl --config "+c.path+" config set KEY VALUE",
		"config file %s (from %s) does not exist", c.path, origin)
}

// OpenSecretsError is the refusal of a secret from a file that group or
// others can read (anybody on the machine could take it), or nil.
func (c *Config) OpenSecretsError() error {
	if !c.openSecrets {
		return nil
	}
	return exit.Errorf(exit.Usage, "run: chmod 600 "+c.path,
		"config file %s holds a secret but is readable by others (mode %04o): its secrets are not used", c.path, c.mode)
}

// Secret resolves a secret setting like Get, but refuses one that would
// come from a file readable by others. From a flag or the environment it
// is used whatever the file's mode.
func (c *Config) Secret(key string) (string, error) {
	v := c.Get(key)
	if v.Refused != nil {
		return "", v.Refused
	}
	return v.Value, nil
}

func (c *Config) holdsSecret() bool {
	for _, s := range Settings {
		if !s.Secret {
			continue
		}
		if c.v.IsSet(s.Key) {
			return true
		}
		for _, p := range c.Profiles() {
			if c.v.IsSet("profiles." + p + "." + s.Key) {
				return true
			}
		}
	}
	return false
}

// EditProfile makes Set and Unset write under profiles.<name>, which need
// not exist yet (config set creates it).
func (c *Config) EditProfile(name string) error {
	if name != "" && !profileName().MatchString(name) {
		return exit.UsageErrorf("profile names use letters, digits, '-' and '_'", "bad profile name %q", name)
	}
	c.profile = strings.ToLower(name) // as in Load: viper folds keys
	return nil
}

// UnknownKeys lists keys in the file that diagctl does not know (typos,
// usually), as written: "sandbox.sever", "profiles.prod.logs.tokn".
func (c *Config) UnknownKeys() []string {
	var out []string
	for _, k := range c.v.AllKeys() {
		key := k
		if rest, ok := strings.CutPrefix(k, "profiles."); ok {
			if _, after, ok := strings.Cut(rest, "."); ok {
				key = after
			}
		}
		if _, ok := Lookup(key); !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Path is the config file's path, whether or not it exists.
func (c *Config) Path() string { return c.path }

// Profile is the selected profile ("" for none).
func (c *Config) Profile() string { return c.profile }

// BindFlag makes flag the first source of key (when the user set it).
func (c *Config) BindFlag(key string, flag *pflag.Flag) {
	if flag != nil {
		c.flags[key] = flag
	}
}

// Value is a resolved setting and where it came from.
type Value struct {
	Key    string
	Value  string
	Source string // "flag --x", "env NAME", "profile P", "file", "default", or "" when unset
	Secret bool
	// Refused: a secret found in a file readable by others; Value is
	// then empty and this says why.
	Refused error
}

// FromFile tells whether the value came from the config file (top level
// or a profile), rather than a flag, the environment or a default.
func (v Value) FromFile() bool {
	return v.Source == "file" || strings.HasPrefix(v.Source, "profile ")
}

// Get resolves key through flag, environment, profile, file and default.
func (c *Config) Get(key string) Value {
	s, _ := Lookup(key)
	v := Value{Key: key, Secret: s.Secret}
	if f, ok := c.flags[key]; ok && f.Changed {
		v.Value, v.Source = f.Value.String(), "flag --"+f.Name
		return v
	}
	for _, name := range s.Env {
		if val := c.getenv(name); val != "" {
			v.Value, v.Source = val, "env "+name
			return v
		}
	}
	if c.profile != "" {
		if k := "profiles." + c.profile + "." + key; c.v.IsSet(k) {
			v.Value, v.Source = c.v.GetString(k), "profile "+c.profile
			return c.refuseOpenSecret(v)
		}
	}
	if c.v.IsSet(key) {
		v.Value, v.Source = c.v.GetString(key), "file"
		return c.refuseOpenSecret(v)
	}
	if s.Default != "" {
		v.Value, v.Source = s.Default, "default"
	}
	return v
}

func (c *Config) refuseOpenSecret(v Value) Value {
	if v.Secret && c.openSecrets {
		v.Value, v.Refused = "", c.OpenSecretsError()
	}
	return v
}

// String is the resolved value of key.
func (c *Config) String(key string) string { return c.Get(key).Value }

// Bool is the resolved value of a true/false key; a bad value is a usage
// error that says where it came from.
func (c *Config) Bool(key string) (bool, error) {
	v := c.Get(key)
	if v.Value == "" {
		return false, nil
	}
	b, err := ParseBool(v.Value)
	if err != nil {
		return false, exit.UsageErrorf("use true or false", "%s from %s is %q, not a boolean", key, v.Source, v.Value)
	}
	return b, nil
}

// ParseBool is the one boolean syntax of settings (strconv.ParseBool's):
// `config set` checks values with it so that what it writes Bool accepts.
func ParseBool(s string) (bool, error) { return strconv.ParseBool(s) }

// List resolves every known key.
func (c *Config) List() []Value {
	out := make([]Value, 0, len(Settings))
	for _, s := range Settings {
		out = append(out, c.Get(s.Key))
	}
	return out
}

// Set writes key=value into the file (under the selected profile when one
// is selected), creating the file with mode 0600.
func (c *Config) Set(key, value string) error {
	return c.edit(func(root *yaml.Node) {
		setNode(root, c.fileKey(key), valueNode(strings.ToLower(key), value))
	})
}

// Unset removes key from the file (from the selected profile when one is
// selected) and tells whether it was there; removing a key that is not
// there is not an error. A profile whose last key goes stays, empty: it
// is still defined, and --profile NAME keeps working.
func (c *Config) Unset(key string) (removed bool, err error) {
	err = c.edit(func(root *yaml.Node) {
		removed = deleteNode(root, c.fileKey(key))
		if removed && c.profile != "" {
			ensureMapping(root, []string{"profiles", c.profile})
		}
	})
	return removed, err
}

func (c *Config) fileKey(key string) []string {
	parts := strings.Split(strings.ToLower(key), ".")
	if c.profile != "" {
		return append([]string{"profiles", c.profile}, parts...)
	}
	return parts
}

// edit rewrites the file through a temporary 0600 file and a rename, so a
// crash never leaves a half-written config and the secret is never briefly
// world-readable.
func (c *Config) edit(change func(root *yaml.Node)) error {
	data, err := os.ReadFile(c.path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return exit.Wrapf(err, exit.Failure, "", "cannot read config file")
	}
	doc, err := parseDoc(data)
	if err != nil {
		return exit.Wrapf(err, exit.Failure, "fix or remove the file", "config file %s is not valid YAML", c.path)
	}
	root := doc.Content[0]
	change(root)
	empty := len(root.Content) == 0
	if empty && len(data) == 0 {
		return nil // nothing was there and nothing is: create no file
	}
	var out []byte
	if !empty || root.HeadComment != "" || root.FootComment != "" || doc.HeadComment != "" {
		var b bytes.Buffer
		enc := yaml.NewEncoder(&b)
		enc.SetIndent(2)
		if err := enc.Encode(doc); err != nil {
			return err
		}
		out = b.Bytes()
	}
	// A symlinked config (dotfiles repositories) is written through the
	// link: the rename replaces the file it points at, not the link.
	target := c.path
	if resolved, err := filepath.EvalSymlinks(c.path); err == nil {
		target = resolved
	}
	dir := filepath.Dir(target)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return exit.Wrapf(err, exit.Failure, "", "cannot create config directory")
	}
	tmp, err := os.CreateTemp(dir, ".config-*.yaml")
	if err != nil {
		return exit.Wrapf(err, exit.Failure, "", "cannot write config file")
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(out); err != nil {
		tmp.Close()
		return exit.Wrapf(err, exit.Failure, "", "cannot write config file")
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return exit.Wrapf(err, exit.Failure, "", "cannot write config file")
	}
	if err := c.v.ReadConfig(bytes.NewReader(out)); err != nil {
		return err
	}
	c.exists, c.mode = true, 0o600
	return nil
}
