package indicators_test

import (
	"strings"
	"testing"

	"chitieu/indicators"
)

// Every coded field reads back from its Vietnamese label, its English
// label, either in capitals, and the code itself; no two codes of a group
// share a label, so that reading a label back can never pick the wrong
// code; a text the group does not know comes back cleaned and not ok.
func TestVocabularyCodeReadsLabelsBack(t *testing.T) {
	for _, group := range []string{"kind", "scope", "direction", "measure", "rollup", "frequency", "value_type", "unit_kind", "batch_state"} {
		codes := indicators.VocabularyCodes(group)
		if len(codes) == 0 {
			t.Fatalf("group %s has no codes", group)
		}
		owner := map[string]string{}
		for _, code := range codes {
			vi, en := indicators.Label(group, code, "vi"), indicators.Label(group, code, "en")
			for _, text := range []string{code, vi, en, strings.ToUpper(vi), "  " + strings.ToLower(en) + " "} {
				if got, ok := indicators.VocabularyCode(group, text); got != code || !ok {
					t.Errorf("%s: VocabularyCode(%q) = %q, %v; want %s", group, text, got, ok, code)
				}
			}
			for _, l := range []string{strings.ToLower(vi), strings.ToLower(en)} {
				if o, dup := owner[l]; dup && o != code {
					t.Errorf("%s: the label %q names both %s and %s", group, l, o, code)
				}
				owner[l] = code
			}
		}
		if got, ok := indicators.VocabularyCode(group, " khác  hẳn "); ok || got != "khác hẳn" {
			t.Errorf("%s: an unknown text reads as %q, %v; want it cleaned and not ok", group, got, ok)
		}
	}
	if got, _ := indicators.VocabularyCode("scope", "TP Cần Thơ cũ"); got != string(indicators.OldCity) {
		t.Errorf("TP Cần Thơ cũ reads as %q", got)
	}
	if got, _ := indicators.VocabularyCode("kind", "Tăng bình quân giai đoạn"); got != string(indicators.AvgGrowthTarget) {
		t.Errorf("Tăng bình quân giai đoạn reads as %q", got)
	}
}
