// Package cli builds the command tree and runs it: it turns typed errors
// into the documented exit statuses and prints each error once.
package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
	"github.com/diagctl/diagctl/internal/prompt"
	"github.com/diagctl/diagctl/internal/safetext"
)

// Main runs diagctl with the process's arguments, streams and environment
// and returns the exit status.
func Main() int { return MainWith(nil) }

// MainWith is Main with tune applied to the Factory before the command
// runs: testscript runs the real tree through it with retries that do
// not wait.
func MainWith(tune func(*cmdutil.Factory)) int {
	if len(os.Args) == 2 && (os.Args[1] == "--version" || os.Args[1] == "version") {
		// Scripts call this often: answer before building the command tree.
		fmt.Println(versionLine(Version()))
		return exit.OK
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	signals := make(chan os.Signal, 3)
	// Never signal.Stop: a second SIGTERM that arrives while the process
	// exits would otherwise take the default action and kill it with
	// "terminated" instead of exit 130. The process ends right after.
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go stopOnSignals(signals, cancel)
	f := cmdutil.NewFactory(iostreams.System(), os.Getenv, Version(), ctx)
	// A person at a terminal is asked there, even when stderr or stdin is
	// redirected (as ssh and sudo do).
	f.Prompter.OpenTTY = prompt.ControllingTerminal
	if tune != nil {
		tune(f)
	}
	return RunFactory(f, os.Args[1:])
}

// stopOnSignals cancels the run on the first SIGINT or SIGTERM. Cancelling
// is all the hurry there is: requests stop at once and the cleanup that
// follows (removing .part files, printing the IDs that finished) is short.
// So a second signal does not cut it short: coreutils timeout sends
// SIGTERM twice (to the process, then to its group), and a shell's Ctrl-C
// can reach diagctl twice. Only a third signal, a person insisting, exits
// at once.
func stopOnSignals(signals <-chan os.Signal, cancel context.CancelCauseFunc) {
	for n := 1; ; n++ {
		if _, ok := <-signals; !ok {
			return
		}
		switch n {
		case 1:
			cancel(exit.ErrInterrupted)
		case 3:
			os.Exit(exit.Interrupted)
		}
	}
}

// Run executes one command line with the given streams alone (prompts
// only on ios, never on the controlling terminal) and returns its exit
// status.
func Run(ctx context.Context, args []string, ios *iostreams.IOStreams, getenv func(string) string) int {
	return RunFactory(cmdutil.NewFactory(ios, getenv, Version(), ctx), args)
}

// RunFactory executes one command line with f's dependencies (tests pass
// one whose retries do not wait) and returns its exit status.
func RunFactory(f *cmdutil.Factory, args []string) int {
	ctx, ios := f.Context, f.IOStreams
	root := NewCmdRoot(f)
	root.SetArgs(args)
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exit.OK
	}
	if cause := context.Cause(ctx); cause != nil && errors.Is(err, context.Canceled) {
		err = cause
	}
	err = classifyCobraError(err)
	printError(f, cmd, err)
	return exit.Code(err)
}

// classifyCobraError gives cobra's own untyped errors (unknown command,
// wrong argument count) the usage status.
func classifyCobraError(err error) error {
	var c exit.Coder
	if errors.As(err, &c) {
		return err
	}
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires at least", "requires at most", "invalid argument", "flag needs an argument", "required flag"} {
		if strings.HasPrefix(msg, p) || strings.Contains(msg, " "+p) {
			return &exit.FlagError{Err: err}
		}
	}
	return err
}

func printError(f *cmdutil.Factory, cmd *cobra.Command, err error) {
	var silent *cmdutil.SilentError
	if errors.As(err, &silent) {
		return // each failure was already reported with its ID
	}
	w := f.IOStreams.ErrOut
	hint := exit.Hint(err)
	if f.Globals.JSON {
		doc := map[string]any{"error": err.Error(), "exit_status": exit.Code(err)}
		if hint != "" {
			doc["hint"] = hint
		}
		_ = iostreams.WriteJSONLine(w, doc)
		return
	}
	if errors.Is(err, exit.ErrInterrupted) {
		fmt.Fprintln(w, "interrupted")
		if hint != "" { // e.g. a create that may have happened before the signal
			fmt.Fprintln(w, "hint: "+hint)
		}
		return
	}
	// Messages and hints carry server text (a vendor's message, a
	// certificate's names): escaped, newlines included, it can neither
	// drive the terminal nor fake a line. A usage error is cobra's and
	// the command line's own text, whose lines ("Did you mean this?")
	// are kept.
	var fe *exit.FlagError
	escape := safetext.Escape
	if errors.As(err, &fe) {
		escape = escapeLines
	}
	fmt.Fprintln(w, "error: "+escape(err.Error()))
	if hint != "" {
		fmt.Fprintln(w, "hint: "+escape(hint))
	}
	if fe != nil && cmd != nil {
		fmt.Fprintf(w, "\nUsage: %s\nRun '%s --help' for more.\n", cmd.UseLine(), cmd.CommandPath())
	}
}

// escapeLines escapes each line of s, keeping the line breaks.
func escapeLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = safetext.Escape(l)
	}
	return strings.Join(lines, "\n")
}
