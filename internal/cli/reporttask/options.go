package reporttask

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/api"
	"github.com/diagctl/diagctl/internal/api/radar"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/config"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/iostreams"
	"github.com/diagctl/diagctl/internal/schedule"
)

// TaskOptions are what create and update share: dependencies, and the
// flags for the interval, the instance, the API key and the dry run.
type TaskOptions struct {
	IO *iostreams.IOStreams
	// HTTPClient builds Radar's ready client (cmdutil.Factory.HTTPClient).
	HTTPClient func(svc api.Service, secretFromStdin bool) (*httpx.Client, error)
	Config     func() (*config.Config, error)
	Ctx        context.Context  // cancelled on Ctrl-C; nil means Background
	Now        func() time.Time // the clock for next run times; nil means time.Now
	JSON       bool             // --json

	Interval          string
	Instance          string
	DryRun            bool
	SkipIntervalCheck bool
	APIKeyStdin       bool
}

func newTaskOptions(f *cmdutil.Factory) TaskOptions {
	return TaskOptions{IO: f.IOStreams, HTTPClient: f.HTTPClient, Config: f.Config}
}

// addFlags registers the shared flags; --interval and --instance are
// required.
func (o *TaskOptions) addFlags(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&o.Interval, "interval", "", "when the report is generated: five cron fields, e.g. '0 6 * * 1'")
	fl.StringVar(&o.Instance, "instance", "", "UUID of the instance that generates the report")
	fl.BoolVar(&o.DryRun, "dry-run", false, "print the request and the interval's next run times; send nothing")
	fl.BoolVar(&o.SkipIntervalCheck, "skip-interval-check", false, "send the interval even if it is not standard five-field cron")
	fl.BoolVar(&o.APIKeyStdin, radar.Service.Secret.StdinFlag, false, radar.Service.Secret.StdinHelp)
	_ = cmd.MarkFlagRequired("interval")
	_ = cmd.MarkFlagRequired("instance")
	_ = cmd.RegisterFlagCompletionFunc("interval", cobra.NoFileCompletions)
	_ = cmd.RegisterFlagCompletionFunc("instance", cobra.NoFileCompletions)
}

// fromCmd takes what only the running command knows.
func (o *TaskOptions) fromCmd(cmd *cobra.Command, f *cmdutil.Factory) {
	o.Ctx = f.Context
	if o.Ctx == nil {
		o.Ctx = cmd.Context()
	}
	if f.Globals != nil {
		o.JSON = f.Globals.JSON
	}
}

func (o *TaskOptions) ctx() context.Context {
	if o.Ctx == nil {
		return context.Background()
	}
	return o.Ctx
}

func (o *TaskOptions) now() time.Time {
	if o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

// idArg is one ID the command sends, named as the user gave it.
type idArg struct{ name, value string }

// check is every local check, before any setting is read or anything
// sent: each ID a UUID, and the interval as five-field cron unless
// --skip-interval-check. Its error names the bad field (schedule.Error:
// exit 2 with a hint).
func (o *TaskOptions) check(ids ...idArg) error {
	for _, id := range append(ids, idArg{"--instance", o.Instance}) {
		if err := radar.ValidUUID(id.value); err != nil {
			return exit.UsageErrorf("a UUID looks like 868cf2e9-bd6d-4bac-96ba-2b08120d8cf9 (8-4-4-4-12 hexadecimal digits)",
				"%s %s is not a UUID", id.name, strconv.Quote(id.value))
		}
	}
	if _, err := schedule.Parse(o.Interval); err != nil && !o.SkipIntervalCheck {
		return err
	}
	return nil
}

// settings resolves the user id and builds the client: missing or bad
// settings are usage errors, still before anything is sent.
func (o *TaskOptions) settings() (userID string, c *httpx.Client, err error) {
	cfg, err := o.Config()
	if err != nil {
		return "", nil, err
	}
	// The server first: without it nothing else matters.
	if _, err := radar.Service.BaseURL(cfg); err != nil {
		return "", nil, err
	}
	if userID, err = radar.UserID(cfg); err != nil {
		return "", nil, err
	}
	c, err = o.HTTPClient(radar.Service, o.APIKeyStdin)
	return userID, c, err
}

// explainFirst writes the interval's explanation on stderr before the
// request goes out, when a person is watching (stderr is a terminal).
func (o *TaskOptions) explainFirst() {
	if !o.IO.IsStderrTTY() || o.JSON {
		return
	}
	w := o.IO.Info()
	for _, line := range explainInterval(o.Interval, o.now()).lines() {
		fmt.Fprintln(w, line)
	}
}
