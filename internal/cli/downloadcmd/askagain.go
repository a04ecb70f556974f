package downloadcmd

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/diagctl/diagctl/internal/api"
	"github.com/diagctl/diagctl/internal/download"
	"github.com/diagctl/diagctl/internal/httpx"
)

// passwordTries is how many times a password typed at the prompt is
// asked for before a refusal (HTTP 401) is final: as sudo and ssh do.
const passwordTries = 3

// sources are the download sources for ids, each request made with
// client.
func (spec Spec) sources(ids []string, client *httpx.Client) []download.Source {
	sources := make([]download.Source, len(ids))
	for i, id := range ids {
		sources[i] = download.Source{
			ID:          id,
			DefaultName: spec.DefaultName(id),
			Request: func(ctx context.Context) (*http.Request, error) {
				return spec.Request(ctx, client, id)
			},
		}
	}
	return sources
}

// canAskAgain: the service signs in with a user and password (HTTP
// Basic), and the password was typed at the prompt, so a refusal is
// most likely a typo worth a second try. A password from the
// environment, a file or stdin would only be refused again.
func (o *Options) canAskAgain(spec Spec) bool {
	key := spec.Service.Secret.Key
	return spec.Service.Auth == api.Basic && key != "" && !o.SecretStdin &&
		o.SecretPrompted != nil && o.SecretPrompted(key)
}

// refused: the service said the credentials are wrong (401; a 403 is a
// valid user without the permission, which another try cannot fix).
func refused(err error) bool {
	var ae *httpx.APIError
	return errors.As(err, &ae) && ae.Status == http.StatusUnauthorized
}

// askAgain asks for the password again, up to passwordTries in all,
// while items are refused with HTTP 401, and downloads those items with
// the new one. Every item's final result goes to the printer.
func (o *Options) askAgain(ctx context.Context, spec Spec, dopts download.Options, results []download.Result, printer *Printer) {
	for try := 2; ; try++ {
		var again []int
		for i, r := range results {
			if refused(r.Err) {
				again = append(again, i)
			}
		}
		if len(again) == 0 {
			return
		}
		if try > passwordTries || ctx.Err() != nil {
			for _, i := range again {
				printer.One(results[i])
			}
			return
		}
		fmt.Fprintf(o.IO.ErrOut, "%s refused the password (HTTP 401); try again (%d of %d)\n", spec.Service.Name, try, passwordTries)
		client, err := o.HTTPClient(spec.Service, false) // prompts again: the password is set nowhere else
		if err != nil {
			for _, i := range again {
				results[i].Err, results[i].Error = err, nil
				printer.One(results[i])
			}
			return
		}
		ids := make([]string, len(again))
		for j, i := range again {
			ids[j] = o.IDs[i]
		}
		last := try == passwordTries
		dopts.Client = client
		dopts.Done = func(_ int, r download.Result) {
			if last || !refused(r.Err) {
				printer.One(r)
			}
		}
		for j, r := range download.Run(ctx, spec.sources(ids, client), dopts) {
			results[again[j]] = r
		}
		if last {
			return
		}
	}
}
