package dashboard

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"strings"

	"chitieu/importers"
	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// A department's own sheet is read through a mapping profile, made here
// once: the page shows every sheet of the held upload with its header as
// detected and its first rows, proposes the columns by their usual
// headings and, for each indicator name the catalogue does not hold as
// written, its best match; the planner corrects what is wrong, confirms the
// matches and names the profile, which is saved and used for this upload
// and picked on its own for later files of the same shape.

// importProfileQuery is the profile form as sent.
type importProfileQuery struct {
	Sheet, Unit, Locale, Name             string
	NameCol, CodeCol, MeasureCol, NoteCol string
	Set                                   bool              // the columns were chosen on the page, not drafted
	Matches                               map[string]string // indicator name as written → code
}

func readImportProfileQuery(c echo.Context) importProfileQuery {
	q := importProfileQuery{Sheet: c.FormValue("sheet"), Unit: strings.ToUpper(strings.TrimSpace(c.FormValue("unit"))),
		Locale: c.FormValue("locale"), Name: strings.TrimSpace(c.FormValue("name")),
		NameCol: c.FormValue("name_col"), CodeCol: c.FormValue("code_col"), MeasureCol: c.FormValue("measure_col"),
		NoteCol: c.FormValue("note_col"), Set: c.FormValue("set") == "1", Matches: map[string]string{}}
	// Columns chosen for another sheet mean nothing in this one: the
	// sheet's own draft is shown again.
	if q.Set && c.FormValue("for_sheet") != q.Sheet {
		q.Set = false
	}
	if err := c.Request().ParseForm(); err == nil {
		form := c.Request().Form
		names, codes, exact := form["match_name"], form["match_code"], form["match_exact"]
		for i := range min(len(names), len(codes), len(exact)) {
			// A name read by the catalogue as the indicator chosen needs
			// no entry in the profile.
			if code := strings.TrimSpace(codes[i]); code != exact[i] {
				q.Matches[names[i]] = code
			}
		}
	}
	return q
}

// importMatch is an indicator name of the sheet to confirm: one the
// catalogue lacks, with its suggestions, or one read as an indicator,
// which the planner may correct.
type importMatch struct {
	Name, Cell  string
	Suggestions []importChoice
	Conflict    string // the code in the name and the most alike name disagree
	Chosen      string
	Exact       string // the indicator whose catalogue name this is, word for word
	How         string // message key: how Chosen was found
}

// importColumnField is a column of a wide table to choose among the header's.
type importColumnField struct {
	Name, Label string
	Options     []importColumnOption
}

type importColumnOption struct {
	Text     string
	Selected bool
}

// importProfileData is what the profile page draws.
type importProfileData struct {
	importFlash
	CSRF, Nonce string
	ID, File    string
	Sheets      []importers.SheetInfo
	Sheet       *importers.SheetInfo
	Sample      [][]string // the sheet's sample rows, typed numbers in the page's format
	Q           importProfileQuery
	Shape       importers.Shape
	Fields      []importColumnField // the columns to choose, for a wide table
	Units       []importChoice
	Matches     []importMatch
	Indicators  []importChoice
	Preview     *importers.Result // the preview with the drafted profile, when it could run
	Draft       string            // the profile as JSON, for long tables, which the page does not edit
}

// heldUpload returns the task of the route with its held upload, or the
// answer that sends the browser to the task's page.
func (s *Server) heldUpload(c echo.Context) (*importers.Task, *importers.Upload, error) {
	t, err := s.jobTask(c)
	if err != nil {
		return nil, nil, err
	}
	up, _ := s.imports.HeldUpload(t)
	return t, up, nil
}

// importProfilePage shows the profile form for a held upload.
func (s *Server) importProfilePage(c echo.Context) error {
	t, up, err := s.heldUpload(c)
	if err != nil {
		return err
	}
	if up == nil {
		return seeOther(c, "/imports/jobs/"+t.ID, "")
	}
	q := readImportProfileQuery(c)
	u, _ := currentUser(c)
	if q.Unit == "" && len(u.Units) == 1 {
		q.Unit = u.Units[0]
	}
	if q.Name == "" {
		q.Name = strings.TrimSuffix(t.File, path.Ext(t.File))
	}
	return s.showProfile(c, t, up, q, nil)
}

// importProfileSave saves the profile made on the page and previews the
// held upload with it.
func (s *Server) importProfileSave(c echo.Context) error {
	t, up, err := s.heldUpload(c)
	if err != nil {
		return err
	}
	if up == nil {
		return seeOther(c, "/imports/jobs/"+t.ID, "")
	}
	ctx := c.Request().Context()
	q := readImportProfileQuery(c)
	p, _, err := s.draftProfile(ctx, up, q)
	if err != nil {
		return s.showProfile(c, t, up, q, err)
	}
	if q.Name == "" {
		return s.showProfile(c, t, up, q, indicators.FieldError(indicators.EINVALID, "name",
			"hãy đặt tên cho hồ sơ ánh xạ", "name the mapping profile"))
	}
	if _, err := s.imports.Importer().Store.Profile(ctx, q.Name); err == nil {
		return s.showProfile(c, t, up, q, indicators.FieldError(indicators.ECONFLICT, "name",
			fmt.Sprintf("đã có hồ sơ ánh xạ tên “%s”; hãy đặt tên khác", q.Name),
			fmt.Sprintf("there is already a mapping profile named %q; choose another name", q.Name)))
	} else if indicators.ErrorCode(err) != indicators.ENOTFOUND {
		return err
	}
	p.Name = q.Name
	p.Indicators = map[string]string{}
	for name, code := range q.Matches {
		if code != "" {
			p.Indicators[name] = code
		}
	}
	if err := p.Validate(); err != nil {
		return s.showProfile(c, t, up, q, err)
	}
	if err := s.imports.Importer().Store.SaveProfile(ctx, indicators.ImportProfile{Name: p.Name, Shape: string(p.Shape), JSON: string(p.JSON())}); err != nil {
		return s.showProfile(c, t, up, q, err)
	}
	s.log.Info("mapping profile saved", "user", c.Get("user_name"), "profile", p.Name, "request_id", c.Get("request_id"))
	s.imports.SetOptions(t, importers.Options{ProfileName: p.Name})
	s.imports.StartPreview(ctx, t)
	return s.previewOutcome(c, t, s.imports.Background(t.Estimated), func(err error) error {
		return s.showImports(c, importForm{Profile: "saved:" + p.Name}, err)
	})
}

// draftProfile drafts the profile the query describes: the importers'
// draft for the sheet, unit and locale, with the columns chosen on the
// page in place of the drafted ones. The preview beside it lists the names
// to confirm.
func (s *Server) draftProfile(ctx context.Context, up *importers.Upload, q importProfileQuery) (*importers.Profile, *importers.Result, error) {
	im := s.imports.Importer()
	loc, err := indicators.ParseLocale(q.Locale)
	if err != nil {
		return nil, nil, err
	}
	p, res, err := im.DraftProfile(ctx, up, importers.DraftOptions{Name: q.Name, Sheet: q.Sheet, Unit: q.Unit, Locale: loc})
	if p == nil || !q.Set || p.Shape != importers.Wide {
		return p, res, err
	}
	p.Columns.Name, p.Columns.Code, p.Columns.Measure, p.Columns.Note = q.NameCol, q.CodeCol, q.MeasureCol, q.NoteCol
	p.Indicators = nil
	if err := p.Validate(); err != nil {
		return p, nil, err
	}
	if res, err = im.Preview(ctx, up, importers.Options{Profile: p}); err != nil {
		return p, res, err
	}
	for _, um := range res.Unmatched {
		if len(um.Suggestions) > 0 {
			if p.Indicators == nil {
				p.Indicators = map[string]string{}
			}
			p.Indicators[um.Name] = um.Suggestions[0].Code
		}
	}
	return p, res, nil
}

// showProfile draws the profile page, with the message of failure.
func (s *Server) showProfile(c echo.Context, t *importers.Task, up *importers.Upload, q importProfileQuery, failure error) error {
	ctx := c.Request().Context()
	lang := langOf(c)
	u, _ := currentUser(c)
	d := importProfileData{importFlash: s.importNotice(c), CSRF: s.csrfToken(c), Nonce: nonceOf(c), ID: t.ID, File: t.File, Q: q}
	status := http.StatusOK
	wb, err := importers.OpenWorkbook(up, s.imports.Limits())
	if err != nil {
		return s.showImports(c, importForm{Profile: "auto"}, err)
	}
	d.Sheets, err = importers.Inspect(wb)
	wb.Close()
	if err != nil {
		return s.showImports(c, importForm{Profile: "auto"}, err)
	}
	p, res, draftErr := s.draftProfile(ctx, up, q)
	var de *indicators.Error
	if errors.As(draftErr, &de) && de.Field == "unit" && q.Unit == "" {
		d.Notice, draftErr = "import.profile.choose_unit", nil // not an error yet: the page asks for it
	}
	if failure == nil {
		failure = draftErr
	}
	if failure != nil {
		if status, err = d.fail(lang, failure); err != nil {
			return err
		}
	}
	d.applyDraft(p)
	d.chooseSheet(lang)
	d.addColumnFields()
	d.Preview = res
	d.Matches = s.profileMatches(lang, res, p, q)
	if d.Units, err = s.importUnitChoices(c, u); err != nil {
		return err
	}
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		return err
	}
	for _, in := range inds {
		d.Indicators = append(d.Indicators, importChoice{Value: in.Code, Label: in.Code + " — " + pick(lang, in.NameVI, in.NameEN)})
	}
	return s.render(c, status, "import_profile", d)
}

// applyDraft carries the drafted profile's shape, sheet and columns into the
// page wherever the planner has not chosen them yet.
func (d *importProfileData) applyDraft(p *importers.Profile) {
	if p == nil {
		return
	}
	d.Shape = p.Shape
	if d.Q.Sheet == "" {
		d.Q.Sheet = p.Sheet
	}
	if !d.Q.Set {
		d.Q.NameCol, d.Q.CodeCol, d.Q.MeasureCol, d.Q.NoteCol = p.Columns.Name, p.Columns.Code, p.Columns.Measure, p.Columns.Note
	}
	if p.Shape == importers.Long {
		d.Draft = string(p.JSON())
	}
}

// chooseSheet picks the sheet the page shows: the one asked for, else the
// first visible one, and the sample of it in the page's number format.
func (d *importProfileData) chooseSheet(lang string) {
	for i := range d.Sheets {
		if d.Sheets[i].Name == d.Q.Sheet || (d.Q.Sheet == "" && !d.Sheets[i].Hidden && d.Sheet == nil) {
			d.Sheet = &d.Sheets[i]
		}
	}
	if d.Sheet != nil {
		d.Q.Sheet = d.Sheet.Name
		d.Sample = sampleInPageFormat(lang, d.Sheet)
	}
}

// addColumnFields offers, for a wide sheet, a choice among its header's
// columns for each of the name, code, measure and note columns.
func (d *importProfileData) addColumnFields() {
	if d.Sheet == nil || d.Shape != importers.Wide {
		return
	}
	for _, f := range []struct{ name, label, chosen string }{
		{"name_col", "import.profile.name_col", d.Q.NameCol}, {"code_col", "import.profile.code_col", d.Q.CodeCol},
		{"measure_col", "import.profile.measure_col", d.Q.MeasureCol}, {"note_col", "import.profile.note_col", d.Q.NoteCol},
	} {
		cf := importColumnField{Name: f.name, Label: f.label}
		for _, hc := range d.Sheet.Header.Columns {
			cf.Options = append(cf.Options, importColumnOption{Text: hc.Text, Selected: hc.Text == f.chosen})
		}
		d.Fields = append(d.Fields, cf)
	}
}

// profileMatches lists the preview's names with how each was matched and
// the indicator chosen for it: the planner's choice, else the draft's.
func (s *Server) profileMatches(lang string, res *importers.Result, p *importers.Profile, q importProfileQuery) []importMatch {
	if res == nil {
		return nil
	}
	var out []importMatch
	for _, um := range res.Unmatched {
		m := importMatch{Name: um.Name, Cell: um.Cell, How: "import.profile.how.none"}
		for _, sg := range um.Suggestions {
			why := s.msgs.translate(lang, "import.profile.likeness", formatPct(lang, sg.Score*100, 0))
			if sg.ByCode {
				why = s.msgs.translate(lang, "import.profile.by_code")
			}
			m.Suggestions = append(m.Suggestions, importChoice{Value: sg.Code,
				Label: fmt.Sprintf("%s — %s (%s)", sg.Code, sg.Name, why)})
		}
		// The code written in the name and the most alike name point
		// to different indicators: the planner chooses.
		if sg := um.Suggestions; len(sg) > 1 && sg[0].ByCode && !sg[1].ByCode && sg[1].Score > sg[0].Score {
			m.Conflict = s.msgs.translate(lang, "import.profile.code_conflict", sg[0].Code, sg[1].Code)
		}
		if code, ok := q.Matches[um.Name]; ok {
			m.Chosen = code
		} else if p != nil {
			m.Chosen = p.Indicators[um.Name]
		}
		if m.Chosen != "" {
			m.How = "import.profile.how.suggested"
		}
		out = append(out, m)
	}
	for _, mt := range res.Matched {
		m := importMatch{Name: mt.Name, Cell: mt.Cell, Chosen: mt.Code, How: "import.profile.how.exact"}
		if mt.Confirmed {
			m.How = "import.profile.how.confirmed"
		} else {
			m.Exact = mt.Code
		}
		if code, ok := q.Matches[mt.Name]; ok {
			m.Chosen = code
		}
		out = append(out, m)
	}
	return out
}

// sampleInPageFormat is a sheet's sample with its typed numbers written as
// the page's language writes them: 1,02 on a Vietnamese page, where 1.02
// reads as one thousand and two.
func sampleInPageFormat(lang string, sh *importers.SheetInfo) [][]string {
	out := make([][]string, len(sh.Sample))
	for i, row := range sh.Sample {
		out[i] = append([]string(nil), row...)
		for j, text := range row {
			if i >= len(sh.SampleNumbers) || j >= len(sh.SampleNumbers[i]) || !sh.SampleNumbers[i][j] {
				continue
			}
			if x, err := strconv.ParseFloat(text, 64); err == nil {
				out[i][j] = formatTrim(lang, x, 10)
			}
		}
	}
	return out
}
