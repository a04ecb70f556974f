package cmdutil

import (
	"context"
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
		v, err := prompt.ReadLine(f.IOStreams.In)
		if err != nil {
			return "", exit.Wrapf(err, exit.Failure, "", "cannot read %s", spec.StdinFlag)
		}
		if v == "" {
			return "", exit.UsageErrorf("pipe the secret on stdin, e.g. printenv NAME | diagctl ... "+spec.StdinFlag, "%s: stdin was empty", spec.StdinFlag)
		}
		return v, nil
	}
	cfg, err := f.Config()
	if err != nil {
		return "", err
	}
	if v := cfg.String(spec.Key); v != "" || spec.Optional {
		return v, nil
	}
	if f.IOStreams.CanPrompt() && f.Prompter != nil {
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
		return v, nil
	}
	return "", exit.UsageErrorf(next, "no %s: stdin is not a terminal, so diagctl cannot prompt", spec.Key)
}
