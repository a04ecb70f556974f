package cmdutil

import (
	"github.com/diagctl/diagctl/internal/download"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
)

// Run downloads every source with the flags' settings and prints the
// results; both download commands end here.
func (d *DownloadFlags) Run(f *Factory, client *httpx.Client, sources []download.Source) error {
	results := download.Run(f.Context, sources, download.Options{
		Client:   client,
		IO:       f.IOStreams,
		Output:   d.Output,
		Dir:      d.Dir,
		Force:    d.Force,
		Extract:  d.Extract,
		Parallel: d.Parallel,
		Retries:  f.Globals.Retries,
	})
	return PrintResults(f.IOStreams, f.Globals.JSON, results)
}

// CheckStdin refuses to read both the IDs (--from-file -) and a secret
// (secretFlag, e.g. --password-stdin) from stdin.
func (d *DownloadFlags) CheckStdin(secretFlag string, secretFromStdin bool) error {
	if secretFromStdin && d.FromFile == "-" {
		return exit.FlagErrorf("%s and --from-file - both want stdin: put the IDs in a file", secretFlag)
	}
	return nil
}
