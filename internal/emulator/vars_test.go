package emulator

import "testing"

// TestScriptVarsCoverFixtures: every fixture the emulator serves has a
// script variable, and every variable names something the emulator knows.
func TestScriptVarsCoverFixtures(t *testing.T) {
	named := map[string]bool{}
	for _, v := range ScriptVars() {
		named[v] = true
	}
	for _, list := range [][]fixture{sandboxFixtures, logsFixtures} {
		for _, f := range list {
			if !named[f.id] {
				t.Errorf("fixture %s (%s) has no name in ScriptVars", f.id, f.note)
			}
		}
	}
	for name, v := range ScriptVars() {
		if v == "" {
			t.Errorf("%s is empty", name)
		}
	}
}
