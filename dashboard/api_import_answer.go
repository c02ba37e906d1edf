package dashboard

import (
	"strconv"

	"chitieu/importers"
	"chitieu/indicators"
)

// importAnswerJSON is the API's answer about a batch sent through
// POST /api/v1/imports and its commit: the importer's preview, with every
// place named as the sender wrote it — a JSON pointer into the request
// ("/values/3/value") for values sent as JSON, the sheet and cell
// ("Biểu 01!F12") for a workbook.
type importAnswerJSON struct {
	// Batch is the batch staged or committed; null when nothing was
	// stored (cells rejected, or nothing new).
	Batch *int64 `json:"batch"`
	// State: previewed (staged, waiting for its commit), committed,
	// rejected (nothing stored: fix the values listed), unchanged (every
	// value is already in force), running (see job).
	State          string                `json:"state"`
	Input          string                `json:"input"` // json or xlsx
	File           string                `json:"file,omitempty"`
	SHA256         string                `json:"sha256,omitempty"`
	New            int                   `json:"new"`
	Changed        int                   `json:"changed"`
	Unchanged      int                   `json:"unchanged"`
	Rejected       int                   `json:"rejected"`
	Changes        []importChangeJSON    `json:"changes"`
	Errors         []importCellErrorJSON `json:"errors"`
	Plausibility   []importWarningJSON   `json:"plausibility"`
	Implausible    int                   `json:"implausible"`
	Warnings       []string              `json:"warnings"`
	EarlierBatches []int64               `json:"earlier_batches,omitempty"`
	Commit         string                `json:"commit,omitempty"` // where to commit a previewed batch
	Job            string                `json:"job,omitempty"`    // where to follow a running one
}

type importChangeJSON struct {
	Kind      string   `json:"kind"` // new or changed
	Indicator string   `json:"indicator"`
	Unit      string   `json:"unit"`
	Period    string   `json:"period"`
	Type      string   `json:"type"`
	Old       *float64 `json:"old"`
	New       float64  `json:"new"`
	High      *float64 `json:"high,omitempty"`
	At        string   `json:"at"`
}

type importCellErrorJSON struct {
	At     string `json:"at"`
	Text   string `json:"text"`
	Reason string `json:"reason"`
}

type importWarningJSON struct {
	Check     string `json:"check"`
	Indicator string `json:"indicator"`
	Unit      string `json:"unit"`
	Period    string `json:"period"`
	Type      string `json:"type"`
	At        string `json:"at"`
	ReasonVI  string `json:"reason_vi"`
	ReasonEN  string `json:"reason_en"`
}

// importPlace names a place of the input: a JSON pointer for values sent
// as JSON, else "sheet!cell".
func importPlace(entries bool, sheet, cell string) string {
	if entries {
		if p, ok := importers.SentPointer("values", sheet, cell); ok {
			return p
		}
	}
	if cell == "" {
		return sheet
	}
	return sheet + "!" + cell
}

// toImportAnswer turns the importer's result into the API's answer;
// entries says the values were sent as JSON. The rejected cells' reasons
// and the notes are in lang, the language asked for (?lang=en), as the
// pages show them; the plausibility warnings carry both languages.
func toImportAnswer(res *importers.Result, entries bool, lang string) importAnswerJSON {
	a := importAnswerJSON{Input: "xlsx", File: res.File, SHA256: res.SHA256, New: res.New, Changed: res.Changed,
		Unchanged: res.Unchanged, Rejected: res.Rejected, Implausible: res.Implausible, EarlierBatches: res.EarlierBatches,
		Changes: []importChangeJSON{}, Errors: []importCellErrorJSON{}, Plausibility: []importWarningJSON{},
		Warnings: []string{}}
	for _, n := range res.Warnings {
		a.Warnings = append(a.Warnings, n.In(lang))
	}
	if entries {
		a.Input, a.File = "json", ""
	}
	switch {
	case res.Batch != 0:
		id := res.Batch
		a.Batch, a.State = &id, string(res.State)
		if res.State == indicators.Previewed {
			a.Commit = "/api/v1/imports/" + strconv.FormatInt(id, 10) + "/commit"
		}
	case res.Rejected > 0:
		a.State = "rejected"
	default:
		a.State = "unchanged"
	}
	for _, c := range res.Changes {
		a.Changes = append(a.Changes, importChangeJSON{Kind: string(c.Kind), Indicator: c.Indicator, Unit: c.Unit,
			Period: c.Period, Type: string(c.Type), Old: c.Old, New: c.New, High: c.High, At: importPlace(entries, c.Sheet, c.Cell)})
	}
	for _, e := range res.Errors {
		a.Errors = append(a.Errors, importCellErrorJSON{At: importPlace(entries, e.Sheet, e.Cell), Text: e.Text, Reason: e.ReasonIn(lang)})
	}
	for _, w := range res.Plausibility {
		a.Plausibility = append(a.Plausibility, importWarningJSON{Check: w.Check, Indicator: w.Indicator, Unit: w.Unit,
			Period: w.Period, Type: w.Type, At: importPlace(entries, w.Sheet, w.Cell), ReasonVI: w.ReasonVI, ReasonEN: w.ReasonEN})
	}
	return a
}
