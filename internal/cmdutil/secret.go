package cmdutil

import (
	"context"
	"errors"
	"fmt"

	"github.com/diagctl/diagctl/internal/config"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/prompt"
)

// SecretSpec names one secret setting and the ways to give it.
type SecretSpec struct {
	Key       string // config key, e.g. "sandbox.password"
	StdinFlag string // e.g. "--password-stdin"
	FromStdin bool   // the stdin flag was given
	Label     string // prompt text, e.g. "Sandbox password for alice: "
	// Optional: a secret that is sent only when set; when it is not,
	// Secret returns "" without prompting or failing.
	Optional bool
}

// Secret resolves a secret: stdin when its flag is given, else environment
// or config file, else a no-echo prompt on a terminal, else a usage error
// that names the variable and the stdin flag. It never prompts while
// answering a completion request.
func (f *Factory) Secret(spec SecretSpec) (string, error) {
	s, _ := config.Lookup(spec.Key)
	env := config.EnvName(spec.Key)
	if len(s.Env) > 0 {
		env = s.Env[0]
	}
	next := fmt.Sprintf("set %s or pass %s", env, spec.StdinFlag)
	// A completion request answers from the command tree alone: it reads
	// no stdin (the shell's), no config file and prompts for nothing.
	if f.IOStreams.InCompletion {
		if spec.Optional {
			return "", nil
		}
		return "", exit.UsageErrorf(next, "no %s while completing", spec.Key)
	}
	if spec.FromStdin {
		v, err := prompt.ReadNonEmptyLine(f.IOStreams.In)
		if errors.Is(err, prompt.ErrNoInput) || errors.Is(err, prompt.ErrEmptyLine) {
			return "", exit.UsageErrorf("pipe the secret on stdin, e.g. printenv NAME | diagctl ... "+spec.StdinFlag, "%s: %v", spec.StdinFlag, err)
		}
		if err != nil {
			return "", exit.Wrapf(err, exit.Failure, "", "cannot read %s", spec.StdinFlag)
		}
		return v, nil
	}
	cfg, err := f.Config()
	if err != nil {
		return "", err
	}
	if v, err := cfg.Secret(spec.Key); err != nil || v != "" || spec.Optional {
		return v, err
	}
	if f.Prompter != nil && f.Prompter.CanPrompt() {
		ctx := f.Context
		if ctx == nil {
			ctx = context.Background()
		}
		v, err := f.Prompter.Secret(ctx, spec.Label)
		if err != nil {
			return "", err
		}
		if v == "" {
			return "", exit.UsageErrorf(next, "no %s given", spec.Key)
		}
		f.promptedMu.Lock()
		if f.prompted == nil {
			f.prompted = map[string]bool{}
		}
		f.prompted[spec.Key] = true
		f.promptedMu.Unlock()
		return v, nil
	}
	return "", exit.UsageErrorf(next, "no %s, and no terminal to prompt on (stdin is not one, and there is no controlling terminal)", spec.Key)
}

// SecretPrompted reports whether the secret of key was typed at a prompt
// in this run: a command whose service refuses it (a mistyped password)
// may then ask again, where a secret from a file or the environment
// would only fail again the same way.
func (f *Factory) SecretPrompted(key string) bool {
	f.promptedMu.Lock()
	defer f.promptedMu.Unlock()
	return f.prompted[key]
}
