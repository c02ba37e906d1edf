package dashboard

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"chitieu/importers"
	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// entryNoteMax bounds a note typed beside a value.
const entryNoteMax = 1000

// entryPage shows the choice of unit and period and, once both are chosen,
// the form.
func (s *Server) entryPage(c echo.Context) error {
	u, _ := currentUser(c)
	f := entryForm{Unit: c.QueryParam("unit"), Period: c.QueryParam("period")}
	if f.Unit == "" && len(u.Units) > 0 {
		f.Unit = u.Units[0]
	}
	return s.showEntry(c, f, nil, nil)
}

// readEntryForm reads the posted form: unit, period and, per indicator,
// v.CODE (the value), t.CODE (its type) and n.CODE (a note).
func readEntryForm(v formValues) entryForm {
	f := entryForm{Unit: v["unit"], Period: v["period"], Values: map[string]string{}, Types: map[string]string{}, Notes: map[string]string{}}
	for k, x := range v {
		code, field := k[min(2, len(k)):], k[:min(2, len(k))]
		switch field {
		case "v.":
			f.Values[code] = x
		case "t.":
			f.Types[code] = x
		case "n.":
			f.Notes[code] = x
		}
	}
	return f
}

// entrySubmit turns the form into a workbook and previews it as an upload
// is previewed: the planner then sees the batch's preview, its plausibility
// warnings, and commits it there. A value that cannot be read is shown
// beside its field, with the rest of the form as typed; nothing is stored.
func (s *Server) entrySubmit(c echo.Context) error {
	v, err := readValues(c)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	f := readEntryForm(v)
	unit, p, ok := parseEntryChoice(f.Unit, f.Period)
	if !ok {
		return s.showEntry(c, f, nil, errEntryChoice())
	}
	e, fieldErrs, err := s.readEntry(c, f, unit, p)
	switch {
	case err != nil:
		return s.showEntry(c, f, nil, err)
	case len(fieldErrs) > 0:
		return s.showEntry(c, f, fieldErrs, errEntryFields(fieldErrs))
	case len(e.Rows) == 0:
		return s.showEntry(c, f, nil, indicators.FieldError(indicators.EINVALID, "values",
			"chưa nhập số liệu nào; hãy nhập ít nhất một giá trị", "no value was entered; enter at least one"))
	}
	d := s.imports
	up, opts, err := e.Upload(d.Importer().TempDir, d.Limits())
	if err != nil {
		return s.showEntry(c, f, nil, err)
	}
	t := &importers.Task{User: u.Name, Kind: importers.PreviewTask, File: up.Name, Estimated: len(e.Rows) + 1, Options: opts, Upload: up}
	if err := d.Add(t); err != nil {
		up.Close()
		return s.showEntry(c, f, nil, err)
	}
	s.log.Info("entry form sent", "user", u.Name, "unit", unit, "period", p.String(), "values", len(e.Rows),
		"sha256", up.SHA256, "task", t.ID, "request_id", c.Get("request_id"))
	ctx := c.Request().Context()
	d.StartPreview(ctx, t)
	// Refused cells of the generated sheet are the form's fields: shown
	// beside them, the form kept, rather than on a preview of cells the
	// planner never saw.
	if d.Wait(ctx, t) {
		if st := d.State(t); st.Result != nil && st.Result.Rejected > 0 && st.Batch == 0 {
			d.Remove(t)
			byCode, other := entryFieldErrors(st.Result.Errors, e.Rows)
			return s.showEntry(c, f, byCode, errEntryRejected(st.Result.Rejected, other))
		}
	}
	return s.previewOutcome(c, t, false, func(err error) error { return s.showEntry(c, f, nil, err) })
}

// readEntry checks the form against the indicators the unit reports for p
// within the user's scope, reading each value with the one number parser in
// the user's notation. fieldErrs holds, per indicator code, what is wrong
// with its field in the user's language.
func (s *Server) readEntry(c echo.Context, f entryForm, unit string, p indicators.Period) (importers.Entry, map[string]string, error) {
	lang := langOf(c)
	u, _ := currentUser(c)
	e := importers.Entry{Unit: unit, Period: p, User: u.Name, At: s.now()}
	inds, err := s.entryIndicators(c.Request().Context(), unit, p)
	if err != nil {
		return e, nil, err
	}
	listed := map[string]bool{}
	loc := indicators.Vietnamese
	if lang == "en" {
		loc = indicators.English
	}
	fieldErrs := map[string]string{}
	for _, ind := range inds {
		listed[ind.Code] = true
		x, present, err := indicators.ParseNumber(f.Values[ind.Code], loc)
		typ := indicators.ValueType(f.Types[ind.Code])
		note := f.Notes[ind.Code]
		switch {
		case err != nil:
			_, msg, _ := domainError(lang, err)
			fieldErrs[ind.Code] = ind.Code + ": " + msg
			continue
		case !present:
			continue
		case typ != indicators.OfficialValue && typ != indicators.EstimateValue:
			fieldErrs[ind.Code] = ind.Code + ": " + s.msgs.translate(lang, "entry.bad_type")
			continue
		case utf8.RuneCountInString(note) > entryNoteMax:
			fieldErrs[ind.Code] = ind.Code + ": " + s.msgs.translate(lang, "entry.note_too_long", entryNoteMax)
			continue
		}
		e.Rows = append(e.Rows, importers.EntryRow{Indicator: ind.Code, Name: ind.NameVI, Type: typ, Value: x, Note: note})
	}
	var outside []string
	for code, x := range f.Values {
		if !listed[code] && !indicators.NoValue(x) {
			outside = append(outside, code)
		}
	}
	if len(outside) > 0 {
		sort.Strings(outside)
		return e, nil, indicators.FieldError(indicators.EFORBIDDEN, "values",
			fmt.Sprintf("ngoài phạm vi được giao hoặc không thuộc biểu của đơn vị %s kỳ %s: %s; không số liệu nào được ghi", unit, p.Label("vi"), strings.Join(outside, ", ")),
			fmt.Sprintf("outside your scope or not on the form of unit %s for %s: %s; nothing was stored", unit, p.Label("en"), strings.Join(outside, ", ")))
	}
	return e, fieldErrs, nil
}

func errEntryChoice() error {
	return indicators.FieldError(indicators.EINVALID, "period",
		"hãy chọn đơn vị và kỳ báo cáo trong danh sách", "choose a unit and a period from the lists")
}

// errEntryFields says how many fields could not be read, naming them.
func errEntryFields(fieldErrs map[string]string) error {
	codes := make([]string, 0, len(fieldErrs))
	for code := range fieldErrs {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	return indicators.FieldError(indicators.EINVALID, "values",
		fmt.Sprintf("%d ô chưa đúng (%s); hãy sửa rồi gửi lại — chưa số liệu nào được ghi", len(codes), strings.Join(codes, ", ")),
		fmt.Sprintf("%d fields are not right (%s); fix them and send again — nothing was stored", len(codes), strings.Join(codes, ", ")))
}

// errEntryRejected says that values were refused by the import's checks
// (outside the scope, a unit not in being in the period …).
func errEntryRejected(n int, other []string) error {
	vi := fmt.Sprintf("%d giá trị bị từ chối nên không số liệu nào được ghi; lý do ghi bên cạnh từng ô", n)
	en := fmt.Sprintf("%d values were refused, so nothing was stored; the reason is beside each field", n)
	if len(other) > 0 {
		vi += ": " + strings.Join(other, "; ")
		en += ": " + strings.Join(other, "; ")
	}
	return indicators.FieldError(indicators.EINVALID, "values", vi, en)
}
