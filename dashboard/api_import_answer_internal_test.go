package dashboard

import (
	"testing"

	"chitieu/importers"
)

// The API's answer gives the preview's notes and the rejected cells'
// reasons in the language asked for, Vietnamese by default.
func TestImportAnswerInTheLanguageAskedFor(t *testing.T) {
	t.Parallel()
	res := &importers.Result{Rejected: 1,
		Errors:   []importers.CellError{{Sheet: "Biểu 01", Cell: "F12", Text: "7.5.1", Reason: "không phải số", ReasonEN: "not a number"}},
		Warnings: []importers.Notice{{VI: "đã bỏ qua 2 dòng", EN: "skipped 2 rows"}}}
	for _, tc := range []struct{ lang, note, reason string }{
		{"vi", "đã bỏ qua 2 dòng", "không phải số"},
		{"en", "skipped 2 rows", "not a number"},
	} {
		a := toImportAnswer(res, false, tc.lang)
		if len(a.Warnings) != 1 || a.Warnings[0] != tc.note {
			t.Errorf("%s: warnings = %q, want [%q]", tc.lang, a.Warnings, tc.note)
		}
		if len(a.Errors) != 1 || a.Errors[0].Reason != tc.reason || a.Errors[0].At != "Biểu 01!F12" {
			t.Errorf("%s: errors = %+v, want F12 refused with %q", tc.lang, a.Errors, tc.reason)
		}
	}
	// No notes is an empty list, never null, in the JSON.
	if a := toImportAnswer(&importers.Result{}, false, "en"); a.Warnings == nil {
		t.Error("warnings of a preview without notes = nil, want []")
	}
}
