// Package emulator is the `diagctl emulator` command: a local emulator of
// the four APIs, for trying diagctl, for scripts' tests and for benchmarks.
package emulator

import (
	"context"
	"fmt"
	"math"
	"net"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/cmdutil"
	emu "github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// Options holds the flags and dependencies of `diagctl emulator`.
type Options struct {
	IO      *iostreams.IOStreams
	Context context.Context
	JSON    bool

	Addr           string
	AllowRemote    bool
	Fault          string
	RadarFault     string
	BigSize        int64
	SlowRate       int64
	RequirePreview bool
	RequireAPIKey  bool

	// ready is called once the server listens (tests use it to talk to it).
	ready func(*emu.Server)
}

// shutdownGrace is how long running downloads get to finish on Ctrl-C.
const shutdownGrace = 5 * time.Second

// receivedLimit bounds the request log: nobody reads it from the command,
// and a benchmark may send millions of requests.
const receivedLimit = 1000

// NewCmdEmulator builds `diagctl emulator`.
func NewCmdEmulator(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, BigSize: emu.DefaultBigSize, SlowRate: emu.DefaultSlowRate}
	cmd := &cobra.Command{
		Use:   "emulator",
		Short: "Serve a local emulator of all four APIs",
		Long: `Serve a local emulator of the Kaspersky Research Sandbox, Huawei CodeArts Check,
Azure DevOps symbol and Pangeo Radar APIs on one port, with their paths, headers
and error bodies, for trying diagctl, testing scripts and benchmarks.

Once listening it prints the credentials, the known IDs (including IDs that
misbehave on purpose: server errors, dropped connections, stalls, 200 answers
that carry errors, hostile archives) and the environment that points diagctl at
it; --json prints {"url","listen","env"} instead. It serves until Ctrl-C.

It listens on loopback only: its credentials are public, so another address
needs --allow-remote.

Fault modes (--fault) apply to every archive download whose ID has no fault of
its own:
  slow   every body at --slow-rate
  drop   the first request for each archive, and every other one after it, is
         cut after half the body (a resumed or repeated request succeeds)
  503    two requests in every three per archive answer 503 with Retry-After: 1
  stall  every body stops after half and the connection is held open

Radar fault modes (--radar-fault) apply to every report-task create and update
whose report or task id has no fault of its own:
  503    two requests in every three per id answer 503 with Retry-After: 1
  429    two requests in every three per id answer 429 with Retry-After: 2
  drop   the task is created or changed, then the connection is closed unanswered
  slow   the task is created or changed, the answer comes after a second
  stall  the task is created or changed, then nothing is sent

` + exit.StatusHelp,
		Example: `  diagctl emulator
  diagctl emulator --addr 127.0.0.1:0 --fault drop
  diagctl emulator --big-size 4GiB --fault slow --slow-rate 10MiB
  diagctl emulator --require-preview --require-api-key
  diagctl emulator --radar-fault drop`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Context = f.Context
			if opts.Context == nil {
				opts.Context = cmd.Context()
			}
			if f.Globals != nil {
				opts.JSON = f.Globals.JSON
			}
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runEmulator(opts)
		},
	}
	// Flag errors are usage errors even when this command runs on its own.
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &exit.FlagError{Err: err} })
	fl := cmd.Flags()
	fl.StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "address to listen on, HOST:PORT (port 0 picks a free one)")
	fl.BoolVar(&opts.AllowRemote, "allow-remote", false, "allow an --addr that is not loopback (the credentials are public)")
	fl.StringVar(&opts.Fault, "fault", "none", "fault for every archive download: none, slow, drop, 503, stall")
	fl.StringVar(&opts.RadarFault, "radar-fault", "none", "fault for every Pangeo Radar create and update: none, 503, 429, drop, slow, stall")
	fl.Var(sizeValue{&opts.BigSize}, "big-size", "size of the generated big archive, e.g. 1GiB, 512MiB or bytes")
	fl.Var(sizeValue{&opts.SlowRate}, "slow-rate", "bytes per second of slow answers, e.g. 512KiB")
	fl.BoolVar(&opts.RequirePreview, "require-preview", false, `symbol service: refuse an api-version without "-preview"`)
	fl.BoolVar(&opts.RequireAPIKey, "require-api-key", false, "Pangeo Radar: demand PgrApiKey "+emu.RadarDemoAPIKey)
	faultModes.Register(cmd, "fault")
	radarFaultModes.Register(cmd, "radar-fault")
	_ = cmd.RegisterFlagCompletionFunc("addr", cobra.NoFileCompletions)
	return cmd
}

// faultModes and radarFaultModes are --fault's and --radar-fault's values:
// the emulator's modes, with "none" for no fault (a test checks that they
// match emu.FaultModes and emu.RadarFaultModes).
var (
	faultModes = cmdutil.Enum{
		{Value: "none", Help: "no fault"},
		{Value: emu.FaultSlow, Help: "every body at --slow-rate"},
		{Value: emu.FaultDrop, Help: "every other request cut mid-body"},
		{Value: emu.Fault503, Help: "503 with Retry-After on 2 of 3 requests"},
		{Value: emu.FaultStall, Help: "every body stops after half"},
	}
	radarFaultModes = cmdutil.Enum{
		{Value: "none", Help: "no fault"},
		{Value: emu.RadarFault503, Help: "503 with Retry-After on 2 of 3 requests"},
		{Value: emu.RadarFault429, Help: "429 with Retry-After on 2 of 3 requests"},
		{Value: emu.RadarFaultDrop, Help: "done, then the connection closed unanswered"},
		{Value: emu.RadarFaultSlow, Help: "done, answered after a second"},
		{Value: emu.RadarFaultStall, Help: "done, then no answer"},
	}
)

// validate checks the flags before anything listens.
func (o *Options) validate() error {
	if err := faultModes.Check("fault", o.Fault); err != nil {
		return err
	}
	if err := radarFaultModes.Check("radar-fault", o.RadarFault); err != nil {
		return err
	}
	// "none" on the command line is the emulator's no-fault value.
	if o.Fault == "none" {
		o.Fault = emu.FaultNone
	}
	if o.RadarFault == "none" {
		o.RadarFault = emu.FaultNone
	}
	if o.BigSize < emu.MinBigSize {
		return exit.FlagErrorf("--big-size %d: the smallest archive is %d bytes", o.BigSize, emu.MinBigSize)
	}
	if o.SlowRate < 1 || o.SlowRate > math.MaxInt32 {
		return exit.FlagErrorf("--slow-rate must be between 1 byte and 2GiB a second")
	}
	host, _, err := net.SplitHostPort(o.Addr)
	if err != nil {
		return exit.FlagErrorf("--addr %q: want HOST:PORT, e.g. 127.0.0.1:8080", o.Addr)
	}
	if !isLoopback(host) && !o.AllowRemote {
		return exit.UsageErrorf("use a loopback address such as 127.0.0.1:8080, or pass --allow-remote if other hosts must reach it",
			"--addr %s is not a loopback address: the emulator's credentials are public", o.Addr)
	}
	return nil
}

// isLoopback: "localhost" or a loopback IP. An empty host means every
// interface, and another name could resolve anywhere: neither is loopback.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func runEmulator(opts *Options) error {
	srv, err := emu.Listen(opts.Addr, emu.Options{
		BigSize:        opts.BigSize,
		Fault:          opts.Fault,
		RadarFault:     opts.RadarFault,
		SlowRate:       int(opts.SlowRate),
		RequirePreview: opts.RequirePreview,
		RadarAPIKey:    apiKey(opts.RequireAPIKey),
		ReceivedLimit:  receivedLimit,
	})
	if err != nil {
		return exit.Wrapf(err, exit.Failure, "choose another port, or --addr 127.0.0.1:0 for a free one", "cannot listen on %s", opts.Addr)
	}
	defer srv.Close()

	if opts.JSON {
		env := map[string]string{}
		for _, kv := range srv.Env(srv.URL) {
			k, v, _ := strings.Cut(kv, "=")
			env[k] = v
		}
		doc := map[string]any{"url": srv.URL, "listen": srv.Addr.String(), "env": env}
		if err := iostreams.WriteJSON(opts.IO.Out, doc); err != nil {
			return err
		}
	} else {
		srv.Describe(opts.IO.Out, srv.URL)
	}
	info := opts.IO.Info()
	if !isLoopback(hostOf(srv.Addr.String())) {
		fmt.Fprintf(info, "warning: listening on %s: anyone who can reach it can use the public credentials above\n", srv.Addr)
	}
	fmt.Fprintf(info, "emulator listening on %s; press Ctrl-C to stop\n", srv.URL)
	if opts.ready != nil {
		opts.ready(srv)
	}

	<-opts.Context.Done()
	// The command's context is already over: the grace period needs its own.
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		fmt.Fprintf(info, "emulator stopped; some downloads were cut short (%v)\n", err)
		return nil
	}
	fmt.Fprintln(info, "emulator stopped")
	return nil
}

func apiKey(required bool) string {
	if required {
		return emu.RadarDemoAPIKey
	}
	return ""
}

func hostOf(addr string) string {
	h, _, _ := net.SplitHostPort(addr)
	return h
}
