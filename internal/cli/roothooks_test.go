package cli

import (
	"testing"

	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/cmdutil/cmdutiltest"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// TestRootHooksNotShadowed walks the whole tree: cobra runs only the
// nearest PersistentPreRun(E), so a group or command that defined its
// own would silently drop the root's (--quiet, --no-progress, the
// --retries/--timeout checks and the completion guard that keeps
// completion from prompting or loading the config). Work that must run
// before a command's run belongs in its RunE; a group that truly needs a
// hook must call the root's first and be listed here with why.
func TestRootHooksNotShadowed(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	root := NewCmdRoot(cmdutiltest.NewFactory(t, ios, nil))
	if root.PersistentPreRunE == nil {
		t.Fatal("the root has no PersistentPreRunE")
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.PersistentPreRun != nil || sub.PersistentPreRunE != nil {
				t.Errorf("%s defines PersistentPreRun(E), which replaces the root's: move the work into RunE", sub.CommandPath())
			}
			if sub.PersistentPostRun != nil || sub.PersistentPostRunE != nil {
				t.Errorf("%s defines PersistentPostRun(E); the root's hooks must stay the only persistent ones", sub.CommandPath())
			}
			walk(sub)
		}
	}
	walk(root)
}

// TestRootHooksWalkSeesGroups: the walk reaches the groups' subcommands
// (a walk that saw nothing would pass whatever the tree holds).
func TestRootHooksWalkSeesGroups(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	root := NewCmdRoot(cmdutiltest.NewFactory(t, ios, nil))
	for _, path := range [][]string{{"sandbox", "debug-report"}, {"logs", "download"}, {"config", "set"}} {
		if c, _, err := root.Find(path); err != nil || c.Name() != path[len(path)-1] {
			t.Errorf("%v not found in the tree: %v", path, err)
		}
	}
}
