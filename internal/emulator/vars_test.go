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
	for _, f := range symbolFixtures {
		if !named[f.id] || !named[f.name] {
			t.Errorf("symbol request fixture %s (%s) or its name has no script variable", f.id, f.name)
		}
	}
	for _, v := range []string{SymbolRequestUnknown, KnownBlobID, SymbolsOrg, SymbolsPAT, SymbolsBearer, SymbolsExpiredPAT} {
		if !named[v] {
			t.Errorf("symbols value %s has no script variable", v)
		}
	}
	for name, v := range ScriptVars() {
		if v == "" {
			t.Errorf("%s is empty", name)
		}
	}
}
