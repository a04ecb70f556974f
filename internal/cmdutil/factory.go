// Package cmdutil holds what every command shares: the Factory that builds
// dependencies lazily and small helpers for flags.
package cmdutil

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/diagctl/diagctl/internal/config"
	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/iostreams"
	"github.com/diagctl/diagctl/internal/prompt"
)

// GlobalOptions are the values of the root's persistent flags.
type GlobalOptions struct {
	ConfigPath string
	Profile    string
	JSON       bool
	Quiet      bool
	NoProgress bool
	Verbose    bool
	Timeout    time.Duration
	// StallTimeout is --stall-timeout: how long a transfer may receive
	// nothing before it fails (0: httpx's default, 60 s).
	StallTimeout time.Duration
	Retries      int
	Insecure     bool
	CACert       string
	Proxy        string // --proxy: a URL, or none; "" leaves it to the service's setting
}

// Factory hands dependencies to commands. Everything costly is built on
// first use, so that `diagctl --version` and completion stay instant.
type Factory struct {
	IOStreams *iostreams.IOStreams
	Globals   *GlobalOptions
	Getenv    func(string) string
	Version   string
	// Context is cancelled (with exit.ErrInterrupted as its cause) on
	// Ctrl-C or SIGTERM.
	Context  context.Context
	Prompter *prompt.Prompter
	// Backoff is the wait between attempts of every client the Factory
	// builds; tests make its Sleep return at once.
	Backoff httpx.Backoff

	promptedMu sync.Mutex
	prompted   map[string]bool // secrets typed at a prompt (SecretPrompted)

	bindings   map[string]*pflag.Flag
	configOnce sync.Once
	config     *config.Config
	configErr  error
}

// NewFactory is the Factory of a real run: the process's streams,
// environment and version, and ctx, which is cancelled on Ctrl-C.
func NewFactory(ios *iostreams.IOStreams, getenv func(string) string, version string, ctx context.Context) *Factory {
	return &Factory{
		IOStreams: ios,
		Globals:   &GlobalOptions{Retries: DefaultRetries},
		Getenv:    getenv,
		Version:   version,
		Context:   ctx,
		Prompter:  &prompt.Prompter{IO: ios},
		bindings:  map[string]*pflag.Flag{},
	}
}

// DefaultRetries is --retries' default.
const DefaultRetries = 3

// Config loads the config file once, from --config, DIAGCTL_CONFIG or the
// default path, with --profile or DIAGCTL_PROFILE.
func (f *Factory) Config() (*config.Config, error) {
	f.configOnce.Do(func() {
		f.config, f.configErr = config.Load(f.ConfigPath(), f.Profile(), f.Getenv)
		if f.configErr == nil && f.configNamed() != "" {
			f.configErr = f.config.RequireFile(f.configNamed())
		}
		if f.configErr == nil {
			for key, flag := range f.bindings {
				f.config.BindFlag(key, flag)
			}
		}
	})
	return f.config, f.configErr
}

// ConfigPath is --config, else DIAGCTL_CONFIG, else the default path.
func (f *Factory) ConfigPath() string {
	if f.Globals.ConfigPath != "" {
		return f.Globals.ConfigPath
	}
	return config.DefaultPath(f.Getenv)
}

// configNamed says where the config path was given ("--config" or
// "DIAGCTL_CONFIG"), or "" for the default path, which may be missing.
func (f *Factory) configNamed() string {
	switch {
	case f.Globals.ConfigPath != "":
		return "--config"
	case f.Getenv("DIAGCTL_CONFIG") != "":
		return "DIAGCTL_CONFIG"
	}
	return ""
}

// Profile is --profile, else DIAGCTL_PROFILE.
func (f *Factory) Profile() string {
	if f.Globals.Profile != "" {
		return f.Globals.Profile
	}
	return f.Getenv("DIAGCTL_PROFILE")
}

// ConfigForEdit loads the file for `config set` and `config unset`: the
// selected profile is where changes go, and it need not exist yet. With
// create (config set) a file named by --config need not exist either.
func (f *Factory) ConfigForEdit(create bool) (*config.Config, error) {
	cfg, err := config.Load(f.ConfigPath(), "", f.Getenv)
	if err != nil {
		return nil, err
	}
	if !create && f.configNamed() != "" {
		if err := cfg.RequireFile(f.configNamed()); err != nil {
			return nil, err
		}
	}
	return cfg, cfg.EditProfile(f.Profile())
}

// HTTPOptions are the shared HTTP settings for one service: the global
// flags, then that service's ca-cert and insecure settings.
func (f *Factory) HTTPOptions(service string) (httpx.Options, error) {
	g := f.Globals
	o := httpx.Options{
		Service:      service,
		UserAgent:    "diagctl/" + f.Version,
		Timeout:      g.Timeout,
		StallTimeout: g.StallTimeout,
		Retries:      g.Retries,
		Insecure:     g.Insecure,
		CACert:       g.CACert,
		Warn:         f.IOStreams.ErrOut,
		Backoff:      f.Backoff,
	}
	if g.Verbose {
		o.Trace = f.IOStreams.ErrOut
	}
	cfg, err := f.Config()
	if err != nil {
		return o, err
	}
	if o.Insecure {
		o.InsecureFrom = "--insecure"
	} else {
		key := service + ".insecure"
		if o.Insecure, err = cfg.Bool(key); err != nil {
			return o, err
		}
		if o.Insecure {
			o.InsecureFrom = settingOrigin(cfg, key)
		}
	}
	if o.CACert == "" {
		o.CACert = caCertPath(cfg, service+".ca-cert")
	}
	o.Getenv = f.Getenv
	o.Proxy, o.ProxyOrigin = proxySetting(g.Proxy, cfg, service+".proxy")
	return o, nil
}

// proxySetting is the service's proxy and where it came from: --proxy,
// then DIAGCTL_<SERVICE>_PROXY, then <service>.proxy in the config file;
// "" when none is set (the environment's HTTPS_PROXY then applies).
func proxySetting(flag string, cfg *config.Config, key string) (value, origin string) {
	if flag != "" {
		return flag, "--proxy"
	}
	v := cfg.Get(key)
	switch {
	case v.Value == "":
		return "", ""
	case v.FromFile():
		return v.Value, key + " in the config file"
	case strings.HasPrefix(v.Source, "env "):
		return v.Value, strings.TrimPrefix(v.Source, "env ")
	}
	return v.Value, key
}

// BindFlag makes flag the first source of config key. Commands bind their
// setting flags when they are built; the bindings apply when the config is
// loaded.
func (f *Factory) BindFlag(key string, flag *pflag.Flag) {
	if f.bindings == nil {
		f.bindings = map[string]*pflag.Flag{}
	}
	f.bindings[key] = flag
}

// caCertPath resolves a ca-cert setting; a relative path written in the
// config file is relative to the file, not to the current directory.
func caCertPath(cfg *config.Config, key string) string {
	v := cfg.Get(key)
	if v.Value == "" || filepath.IsAbs(v.Value) || !v.FromFile() {
		return v.Value
	}
	return filepath.Join(filepath.Dir(cfg.Path()), v.Value)
}

// settingOrigin says where a setting's value came from, in the words a
// user would look for: the flag, the environment variable, or the key in
// the config file (and its profile).
func settingOrigin(cfg *config.Config, key string) string {
	v := cfg.Get(key)
	switch {
	case strings.HasPrefix(v.Source, "flag "):
		return strings.TrimPrefix(v.Source, "flag ")
	case strings.HasPrefix(v.Source, "env "):
		return strings.TrimPrefix(v.Source, "env ")
	case strings.HasPrefix(v.Source, "profile "):
		return fmt.Sprintf("%s in profile %s of %s", key, strings.TrimPrefix(v.Source, "profile "), cfg.Path())
	case v.Source == "file":
		return key + " in " + cfg.Path()
	}
	return key
}
