// Package gendocs writes the files generated from the command tree and
// committed: shell completions, Markdown pages and man pages. It is
// apart from internal/cli so that diagctl's own binary does not carry
// the man page renderer (it cost start-up time).
package gendocs

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/diagctl/diagctl/internal/cli"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// manDate is the date in every man page's header. It is fixed so that
// regenerating is byte-identical (restic does the same); move it when the
// pages change in substance, if you like.
var manDate = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

// GeneratedDirs are where Generated's files go, each with the pattern of
// its files: anything else matching there is stale. The command pages are
// docs/diagctl*.md, so hand-written pages (docs/guides/,
// docs/benchmarks.md) live beside them.
var GeneratedDirs = []string{"completions/*", "docs/diagctl*.md", "docs/man/*.1"}

// Generated returns the files that are generated from the command tree and
// committed: shell completions, one Markdown page and one man page per
// command. Their content depends only on the tree (no build date, no
// version), so regenerating is byte-identical and CI can compare.
func Generated() (map[string][]byte, error) {
	ios, _, _, _ := iostreams.Test()
	f := cmdutil.NewFactory(ios, func(string) string { return "" }, "dev", context.Background())
	root := cli.NewCmdRoot(f)
	root.DisableAutoGenTag = true
	files := map[string][]byte{}

	var b bytes.Buffer
	if err := root.GenBashCompletionV2(&b, true); err != nil {
		return nil, err
	}
	files["completions/diagctl.bash"] = bytes.Clone(b.Bytes())
	b.Reset()
	if err := root.GenZshCompletion(&b); err != nil {
		return nil, err
	}
	files["completions/_diagctl"] = bytes.Clone(b.Bytes())
	b.Reset()
	if err := root.GenFishCompletion(&b, true); err != nil {
		return nil, err
	}
	files["completions/diagctl.fish"] = bytes.Clone(b.Bytes())
	b.Reset()
	if err := root.GenPowerShellCompletionWithDesc(&b); err != nil {
		return nil, err
	}
	files["completions/diagctl.ps1"] = bytes.Clone(b.Bytes())

	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" {
			return
		}
		name := strings.ReplaceAll(c.CommandPath(), " ", "_") + ".md"
		files[filepath.Join("docs", name)] = markdown(c)
		files[filepath.Join("docs", "man", strings.ReplaceAll(c.CommandPath(), " ", "-")+".1")] = manPage(c)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return files, nil
}

// markdown renders one command's help page.
func markdown(c *cobra.Command) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n\n%s\n\n", c.CommandPath(), c.Short)
	fmt.Fprintf(&b, "```\n%s\n```\n\n", c.UseLine())
	if c.Long != "" {
		fmt.Fprintf(&b, "```\n%s\n```\n\n", strings.TrimSpace(c.Long))
	}
	if c.Example != "" {
		fmt.Fprintf(&b, "## Examples\n\n```\n%s\n```\n\n", strings.TrimRight(c.Example, "\n"))
	}
	if fl := c.NonInheritedFlags(); fl.HasAvailableFlags() {
		fmt.Fprintf(&b, "## Flags\n\n```\n%s```\n\n", fl.FlagUsages())
	}
	if fl := c.InheritedFlags(); fl.HasAvailableFlags() {
		fmt.Fprintf(&b, "## Inherited flags\n\n```\n%s```\n\n", fl.FlagUsages())
	}
	var subs []string
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() {
			link := strings.ReplaceAll(sub.CommandPath(), " ", "_") + ".md"
			subs = append(subs, fmt.Sprintf("- [%s](%s): %s", sub.CommandPath(), link, sub.Short))
		}
	}
	if len(subs) > 0 {
		fmt.Fprintf(&b, "## Commands\n\n%s\n", strings.Join(subs, "\n"))
	}
	return bytes.TrimRight(b.Bytes(), "\n")
}

// manPage renders one command's man page (section 1).
func manPage(c *cobra.Command) []byte {
	var b bytes.Buffer
	date := manDate
	header := &doc.GenManHeader{Section: "1", Date: &date, Source: "diagctl", Manual: "diagctl manual"}
	if err := doc.GenMan(c, header, &b); err != nil {
		// GenMan fails only when its writer does; a bytes.Buffer does not.
		panic(err)
	}
	return bytes.TrimRight(b.Bytes(), "\n")
}

// WriteGenerated writes Generated() under dir, removing stale pages.
func WriteGenerated(dir string) error {
	files, err := Generated()
	if err != nil {
		return err
	}
	for _, pattern := range GeneratedDirs {
		old, _ := filepath.Glob(filepath.Join(dir, filepath.FromSlash(pattern)))
		for _, p := range old {
			rel, _ := filepath.Rel(dir, p)
			if _, keep := files[rel]; !keep {
				if err := os.Remove(p); err != nil {
					return err
				}
			}
		}
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, append(data, '\n'), 0o644); err != nil {
			return err
		}
	}
	return nil
}
