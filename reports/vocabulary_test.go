package reports

import (
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
)

// codesShown lists the codes of the domain's vocabulary that must never
// reach a reader: those with an underscore or a dot, which are no words
// of either language, and the one-word codes a cell could hold alone.
func codesShown() (inside, alone []string) {
	for _, g := range []string{"kind", "scope", "direction", "measure", "rollup", "frequency", "value_type", "unit_kind", "batch_state"} {
		for _, c := range indicators.VocabularyCodes(g) {
			if strings.ContainsAny(c, "_.") {
				inside = append(inside, c)
			} else {
				alone = append(alone, c)
			}
		}
	}
	for _, s := range indicators.Statuses {
		if strings.Contains(string(s), "_") {
			inside = append(inside, string(s))
		} else {
			alone = append(alone, string(s))
		}
	}
	return append(inside, indicators.AuditActions()...), alone
}

// No report shows a code of the vocabulary in a label or a cell: every
// state, kind, territory, type and action is in words. The params on the
// cover (for Verify) and the audit events' object and before/after
// records (the data of the trail) are machine text and left out.
func TestReportsShowNoCodes(t *testing.T) {
	fx := newFixture(t)
	fx.clock.at("2026-02-01")
	fx.insertBatch(indicators.Batch{ID: 1, FileName: "bieu-01.xlsx", SHA256: strings.Repeat("0f", 32), Size: 10,
		State: indicators.RolledBack, CreatedBy: "lan", CreatedAt: day("2026-01-10"), CommittedAt: day("2026-01-11"),
		RolledBackAt: day("2026-01-12"), RolledBackBy: "admin"})
	inside, alone := codesShown()
	for _, lang := range []string{"vi", "en"} {
		files := []string{fx.progress(time.Time{}, lang), fx.save(fx.b.Data(fx.ctx, DataRequest{Lang: lang})),
			fx.save(fx.b.Audit(fx.ctx, AuditRequest{Lang: lang}))}
		for _, path := range files {
			f := book(t, path)
			for _, sheet := range f.GetSheetList() {
				rows := rawRows(t, f, sheet)
				var skip []int // columns of machine text
				if len(rows) > 0 && strings.Join(rows[0], "|") != "" {
					for i, h := range rows[0] {
						switch h {
						case "Đối tượng", "Object", "Trước", "Before", "Sau", "After":
							skip = append(skip, i)
						}
					}
				}
				for r, row := range rows {
					if len(row) > 0 && row[0] == coverParamsLabel(langVI) || len(row) > 0 && row[0] == coverParamsLabel(langEN) {
						continue
					}
				cells:
					for c, v := range row {
						for _, s := range skip {
							if c == s && r > 0 {
								continue cells
							}
						}
						for _, code := range inside {
							if strings.Contains(v, code) {
								t.Errorf("%s %s!%s shows the code %q: %q", lang, sheet, ref(c+1, r+1), code, v)
							}
						}
						for _, code := range alone {
							if v == code {
								t.Errorf("%s %s!%s is the code %q", lang, sheet, ref(c+1, r+1), code)
							}
						}
					}
				}
			}
		}
	}
	// The two words for an undone batch are one: "Đã hoàn tác".
	if got := indicators.RolledBack.Label("vi"); got != "Đã hoàn tác" {
		t.Errorf("rolled back = %q, want Đã hoàn tác", got)
	}
}
