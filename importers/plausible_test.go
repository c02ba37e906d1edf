package importers_test

import (
	"context"
	"strings"
	"testing"

	"chitieu/importers"
	"chitieu/indicators"
)

// The preview of an upload lists the plausibility warnings with their
// cells; a commit with warnings is refused without a note, storing
// nothing, and goes through with one, which the batch's audit event keeps.
func TestImportPlausibilityWarnings(t *testing.T) {
	t.Parallel()
	db := openStore(t)
	ctx := planner()
	im := newImporter(t, db)
	// The catalogue holds CT-CU's urbanisation 69,66 (2019), 70, 73,05,
	// 74 (2023) and its budget revenue 11.191 (2018), 11.420 (2022).
	path := longFile(t, "sai.xlsx",
		[]any{"SOC-01", "CT-CU", 2024, "Thực hiện", 174},     // row 2: > 100 %, and 100 > 3 × 3,05
		[]any{"ECO-06", "CT-CU", 2023, "Thực hiện", 1234567}, // row 3: 1.223.147 > 3 × 229
		[]any{"SOC-02", "CT-CU", 2024, "Thực hiện", 9.5},     // row 4: no history, nothing to say
	)
	res, err := im.Preview(ctx, receive(t, path), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range res.Plausibility {
		got = append(got, w.Check+"@"+w.Sheet+"!"+w.Cell+":"+w.Indicator)
	}
	want := "range@Sheet1!E2:SOC-01,jump@Sheet1!E2:SOC-01,jump@Sheet1!E3:ECO-06"
	if strings.Join(got, ",") != want || res.Implausible != 3 {
		t.Fatalf("preview warnings = %v (%d), want %s", got, res.Implausible, want)
	}
	if !strings.Contains(res.Plausibility[0].ReasonVI, "ngoài khoảng 0–100") {
		t.Errorf("reason = %q, want the range in Vietnamese", res.Plausibility[0].ReasonVI)
	}

	v0, _, _ := counts(t, db)
	_, err = im.Import(ctx, receive(t, path), importers.Options{})
	if indicators.ErrorCode(err) != indicators.EINVALID || !strings.Contains(err.Error(), "3 cảnh báo") {
		t.Fatalf("commit without a note: err = %v, want the warnings refused", err)
	}
	// A commit is written in chunks that no reader sees until it ends: the
	// refused one is withdrawn, its batch left previewed, and the attempt
	// stays in the audit trail (batch.abort).
	if v, _, _ := counts(t, db); v != v0 {
		t.Errorf("after the refused commit: %d values, want %d", v, v0)
	}
	if bs, err := db.Batches(context.Background(), indicators.BatchFilter{}); err != nil {
		t.Fatal(err)
	} else {
		for _, b := range bs {
			if b.State == indicators.Committed {
				t.Errorf("batch %d committed though its warnings were not confirmed", b.ID)
			}
		}
	}
	if evs, _ := db.AuditEvents(context.Background(), indicators.AuditFilter{Action: "batch.abort"}); len(evs) != 1 {
		t.Errorf("abort events after the refused commit = %d, want 1", len(evs))
	}

	note := "đã kiểm tra với Cục Thống kê"
	res, err = im.Import(ctx, receive(t, path), importers.Options{ConfirmNote: note})
	if err != nil || res.Batch == 0 {
		t.Fatalf("commit with a note: %v (batch %d)", err, res.Batch)
	}
	evs, err := db.AuditEvents(context.Background(), indicators.AuditFilter{Action: "batch.commit"})
	if err != nil {
		t.Fatal(err)
	}
	last := evs[len(evs)-1]
	if !strings.Contains(last.After, note) || !strings.Contains(last.After, `"plausibility_warnings":3`) {
		t.Errorf("commit event = %s, want the note and the 3 warnings", last.After)
	}
}

// Values beyond the settings' MaxChecked are not checked, and the preview
// says so.
func TestImportPlausibilityCap(t *testing.T) {
	t.Parallel()
	db := openStore(t)
	s, err := db.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s.Plausibility.MaxChecked = 1
	if err := db.SaveSettings(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	path := longFile(t, "hai.xlsx",
		[]any{"SOC-02", "CT-CU", 2024, "Thực hiện", 9.5},
		[]any{"SOC-01", "CT-CU", 2024, "Thực hiện", 174}, // not checked: the second value
	)
	res, err := newImporter(t, db).Preview(planner(), receive(t, path), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Implausible != 0 || !strings.Contains(notices(res.Warnings, "vi"), "chỉ 1 số liệu mới hoặc thay đổi đầu tiên") ||
		!strings.Contains(notices(res.Warnings, "en"), "only the first 1 new or changed values were checked") {
		t.Errorf("warnings %d, notes %+v; want none checked past the first and a note saying so in both languages", res.Implausible, res.Warnings)
	}
}
