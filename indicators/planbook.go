package indicators

import (
	"strconv"
	"time"
)

// The plan workbook (sổ kế hoạch) holds the whole catalogue in one .xlsx:
// a sheet for each kind of item, one row per item, codes as keys. Its
// layout is defined here, once, because two packages depend on it: reports
// writes it and importers reads it back. Each item has a record: its
// fields as the text a cell holds, keyed by column; equal records mean
// equal items, which is how an import tells what changed.

// ColumnType says how a column's cells are written and read.
type ColumnType int

// Column types.
const (
	TextColumn    ColumnType = iota // written as a string, never a formula
	NumberColumn                    // a number; text in Vietnamese style ("7,5") is accepted
	IntegerColumn                   // a whole number
	DateColumn                      // a date, written YYYY-MM-DD; Excel dates and DD/MM/YYYY are accepted
)

// Column is one column of a plan workbook sheet.
type Column struct {
	Key      string // record key
	Header   string // the header cell, found by name when reading
	Type     ColumnType
	Required bool    // a row must fill it
	Info     bool    // written for the reader, ignored when importing
	Width    float64 // in characters
	// Vocab names the vocabulary group of a coded column ("scope", "kind"):
	// the cell shows the code's label, and reads back the label in either
	// language or the code itself (VocabularyCode), so that people never
	// have to type old_city or avg_growth.
	Vocab string
}

// Sheet is one sheet of the plan workbook.
type Sheet struct {
	Name    string
	Columns []Column
}

// The sheets of the plan workbook, in the order they are written and
// applied: what others refer to comes first.
var (
	PlansSheet = Sheet{Name: "Kế hoạch", Columns: []Column{
		{Key: "id", Header: "Mã kế hoạch", Width: 26},
		{Key: "code", Header: "Số hiệu", Required: true, Width: 16},
		{Key: "issued", Header: "Ngày ban hành", Type: DateColumn, Width: 13},
		{Key: "issued_note", Header: "Ghi chú ngày ban hành", Width: 20},
		{Key: "issuing_body", Header: "Cơ quan ban hành", Width: 24},
		{Key: "title_vi", Header: "Tên (tiếng Việt)", Required: true, Width: 60},
		{Key: "title_en", Header: "Tên (tiếng Anh)", Width: 40},
		{Key: "horizon_from", Header: "Từ năm", Type: IntegerColumn, Width: 8},
		{Key: "horizon_to", Header: "Đến năm", Type: IntegerColumn, Width: 8},
		{Key: "scope", Header: "Phạm vi", Width: 16, Vocab: "scope"},
		{Key: "parent", Header: "Kế hoạch cha", Width: 24},
		{Key: "source", Header: "Nguồn", Width: 14},
		{Key: "order", Header: "Thứ tự", Type: IntegerColumn, Width: 7},
	}}
	GroupsSheet = Sheet{Name: "Nhóm nhiệm vụ", Columns: []Column{
		{Key: "plan", Header: "Mã kế hoạch", Required: true, Width: 26},
		{Key: "number", Header: "Số thứ tự", Type: IntegerColumn, Required: true, Width: 9},
		{Key: "name_vi", Header: "Tên (tiếng Việt)", Required: true, Width: 50},
		{Key: "name_en", Header: "Tên (tiếng Anh)", Width: 40},
		{Key: "scope_vi", Header: "Phạm vi (tiếng Việt)", Width: 50},
		{Key: "scope_en", Header: "Phạm vi (tiếng Anh)", Width: 40},
	}}
	UnitsSheet = Sheet{Name: "Đơn vị", Columns: []Column{
		{Key: "code", Header: "Mã đơn vị", Required: true, Width: 10},
		{Key: "name_vi", Header: "Tên (tiếng Việt)", Required: true, Width: 34},
		{Key: "name_en", Header: "Tên (tiếng Anh)", Width: 30},
		{Key: "kind", Header: "Loại", Required: true, Width: 16, Vocab: "unit_kind"},
		{Key: "type", Header: "Loại hình", Width: 18},
		{Key: "parent", Header: "Đơn vị cấp trên", Width: 12},
		{Key: "scope", Header: "Phạm vi", Width: 16, Vocab: "scope"},
		{Key: "valid_from", Header: "Hiệu lực từ", Type: DateColumn, Width: 12},
		{Key: "valid_to", Header: "Hiệu lực đến", Type: DateColumn, Width: 12},
		{Key: "source", Header: "Nguồn", Width: 14},
		// Set on the units admin page only, so a workbook cannot clear it.
		{Key: "official_code", Header: "Mã đơn vị hành chính", Info: true, Width: 12},
	}}
	IndicatorsSheet = Sheet{Name: "Chỉ tiêu", Columns: []Column{
		{Key: "code", Header: "Mã chỉ tiêu", Required: true, Width: 11},
		{Key: "name_vi", Header: "Tên (tiếng Việt)", Required: true, Width: 44},
		{Key: "name_en", Header: "Tên (tiếng Anh)", Width: 34},
		{Key: "unit", Header: "Đơn vị tính", Required: true, Width: 16},
		{Key: "unit_en", Header: "Đơn vị tính (tiếng Anh)", Width: 14},
		{Key: "decimals", Header: "Số chữ số thập phân", Type: IntegerColumn, Width: 9},
		{Key: "direction", Header: "Chiều", Required: true, Width: 18, Vocab: "direction"},
		{Key: "measure", Header: "Loại đại lượng", Required: true, Width: 12, Vocab: "measure"},
		{Key: "rollup", Header: "Cách tổng hợp", Required: true, Width: 20, Vocab: "rollup"},
		{Key: "weight_by", Header: "Chỉ tiêu trọng số", Width: 10},
		{Key: "lead_agency", Header: "Cơ quan chủ trì", Width: 10},
		{Key: "frequency", Header: "Kỳ báo cáo", Required: true, Width: 9, Vocab: "frequency"},
		{Key: "group", Header: "Nhóm nhiệm vụ", Type: IntegerColumn, Width: 8},
		{Key: "note_vi", Header: "Ghi chú (tiếng Việt)", Width: 40},
		{Key: "note_en", Header: "Ghi chú (tiếng Anh)", Width: 30},
	}}
	TasksSheet = Sheet{Name: "Nhiệm vụ", Columns: []Column{
		{Key: "code", Header: "Mã nhiệm vụ", Required: true, Width: 10},
		{Key: "plan", Header: "Mã kế hoạch", Required: true, Width: 26},
		{Key: "group", Header: "Nhóm nhiệm vụ", Type: IntegerColumn, Width: 8},
		{Key: "name_vi", Header: "Tên (tiếng Việt)", Required: true, Width: 50},
		{Key: "name_en", Header: "Tên (tiếng Anh)", Width: 36},
		{Key: "lead_agency", Header: "Cơ quan chủ trì", Width: 10},
		{Key: "start", Header: "Ngày bắt đầu", Type: DateColumn, Width: 12},
		{Key: "deadline", Header: "Thời hạn", Type: DateColumn, Width: 12},
		{Key: "percent", Header: "Tỷ lệ hoàn thành (%)", Type: NumberColumn, Width: 10},
		{Key: "done", Header: "Ngày hoàn thành", Type: DateColumn, Width: 12},
		{Key: "status_note", Header: "Ghi chú tình trạng", Width: 40},
		{Key: "source", Header: "Nguồn", Width: 14},
	}}
	TargetsSheet = Sheet{Name: "Mục tiêu", Columns: []Column{
		{Key: "plan", Header: "Mã kế hoạch", Required: true, Width: 26},
		{Key: "indicator", Header: "Mã chỉ tiêu", Required: true, Width: 11},
		{Key: "period", Header: "Giai đoạn", Required: true, Width: 11},
		{Key: "scope", Header: "Phạm vi", Required: true, Width: 16, Vocab: "scope"},
		{Key: "unit", Header: "Đơn vị được giao", Width: 10},
		{Key: "seq", Header: "Lần điều chỉnh", Type: IntegerColumn, Width: 9},
		{Key: "group", Header: "Nhóm nhiệm vụ", Type: IntegerColumn, Width: 8},
		{Key: "task", Header: "Mã nhiệm vụ", Width: 10},
		{Key: "text", Header: "Mục tiêu như văn bản ghi", Width: 40},
		{Key: "reading", Header: "Đọc từ nội dung", Info: true, Width: 36},
		{Key: "kind", Header: "Loại mục tiêu", Width: 22, Vocab: "kind"},
		{Key: "op", Header: "Phép so sánh", Width: 9},
		{Key: "a", Header: "Cận A", Type: NumberColumn, Width: 10},
		{Key: "b", Header: "Cận B", Type: NumberColumn, Width: 10},
		{Key: "base_year", Header: "Năm gốc", Type: IntegerColumn, Width: 8},
		{Key: "tolerance", Header: "Dung sai", Type: NumberColumn, Width: 8},
		{Key: "direction", Header: "Chiều riêng", Width: 18, Vocab: "direction"},
		{Key: "source", Header: "Nguồn", Width: 12},
		{Key: "act", Header: "Văn bản", Width: 16},
		{Key: "act_date", Header: "Ngày văn bản", Type: DateColumn, Width: 12},
		{Key: "effective", Header: "Ngày hiệu lực", Type: DateColumn, Width: 12},
		{Key: "reason", Header: "Lý do, ghi chú", Width: 36},
		{Key: "entered_by", Header: "Người nhập", Info: true, Width: 12},
		{Key: "entered_at", Header: "Thời điểm nhập", Info: true, Width: 20},
	}}
)

// MetadataSheet holds the indicators' metadata sheets, one row per
// indicator that has one; its columns are MetadataFields.
var MetadataSheet = metadataSheet()

func metadataSheet() Sheet {
	s := Sheet{Name: "Siêu dữ liệu", Columns: []Column{{Key: "code", Header: "Mã chỉ tiêu", Required: true, Width: 11}}}
	for _, f := range MetadataFields {
		s.Columns = append(s.Columns, Column{Key: f.Key, Header: f.VI, Width: 40})
	}
	return s
}

// PlanbookSheets lists the data sheets in order.
var PlanbookSheets = []Sheet{PlansSheet, GroupsSheet, UnitsSheet, IndicatorsSheet, MetadataSheet, TasksSheet, TargetsSheet}

// InstructionsSheet is the name of the sheet that explains the workbook.
const InstructionsSheet = "Hướng dẫn"

// OpNoneText is how the workbook writes a bound that is not quantified, so
// that an empty cell can mean "read the bound from the text".
const OpNoneText = "none"

// Record fields shared by the formats below.
func cellInt(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// CellNumber is the record form of a number: the shortest decimal that
// reads back as the same float64.
func CellNumber(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// CellDate is the record form of a date: YYYY-MM-DD in Vietnam, or empty.
func CellDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Vietnam).Format(DateLayout)
}

// Record is the plan's row of the workbook.
func (p Plan) Record() map[string]string {
	return map[string]string{"id": p.ID, "code": p.Code, "issued": CellDate(p.Issued), "issued_note": p.IssuedNote,
		"issuing_body": p.IssuingBody, "title_vi": p.TitleVI, "title_en": p.TitleEN,
		"horizon_from": cellInt(p.HorizonFrom), "horizon_to": cellInt(p.HorizonTo), "scope": string(p.Scope),
		"parent": p.Parent, "source": p.Source, "order": cellInt(p.Order)}
}

// Record is the task group's row of the workbook.
func (g TaskGroup) Record() map[string]string {
	return map[string]string{"plan": g.Plan, "number": strconv.Itoa(g.Number), "name_vi": g.NameVI, "name_en": g.NameEN,
		"scope_vi": g.ScopeVI, "scope_en": g.ScopeEN}
}

// Record is the unit's row of the workbook.
func (u Unit) Record() map[string]string {
	return map[string]string{"code": u.Code, "name_vi": u.NameVI, "name_en": u.NameEN, "kind": string(u.Kind),
		"type": u.Type, "parent": u.Parent, "scope": string(u.Scope), "valid_from": CellDate(u.ValidFrom),
		"valid_to": CellDate(u.ValidTo), "source": u.Source, "official_code": u.OfficialCode}
}

// Record is the indicator's row of the workbook.
func (ind Indicator) Record() map[string]string {
	return map[string]string{"code": ind.Code, "name_vi": ind.NameVI, "name_en": ind.NameEN, "unit": ind.Unit,
		"unit_en": ind.UnitEN, "decimals": strconv.Itoa(ind.Decimals), "direction": string(ind.Direction),
		"measure": string(ind.Measure), "rollup": string(ind.Rollup), "weight_by": ind.WeightBy,
		"lead_agency": ind.LeadAgency, "frequency": string(ind.Frequency), "group": strconv.Itoa(ind.Group),
		"note_vi": ind.NoteVI, "note_en": ind.NoteEN}
}

// Record is the task's row of the workbook.
func (t Task) Record() map[string]string {
	percent := ""
	if t.Percent != nil {
		percent = CellNumber(*t.Percent)
	}
	return map[string]string{"code": t.Code, "plan": t.Plan, "group": strconv.Itoa(t.Group), "name_vi": t.NameVI,
		"name_en": t.NameEN, "lead_agency": t.LeadAgency, "start": CellDate(t.Start), "deadline": CellDate(t.Deadline),
		"percent": percent, "done": CellDate(t.Done), "status_note": t.StatusNote, "source": t.Source}
}

// RevisionRecord is the row of one revision of target t in the workbook.
func RevisionRecord(t Target, r TargetRevision) map[string]string {
	op, a, b := string(r.Bound.Op), CellNumber(r.Bound.A), ""
	switch r.Bound.Op {
	case OpNone:
		op, a = OpNoneText, ""
	case OpRange:
		b = CellNumber(r.Bound.B)
	}
	at := ""
	if !r.EnteredAt.IsZero() {
		at = r.EnteredAt.In(Vietnam).Format("2006-01-02 15:04:05")
	}
	tol := ""
	if r.Tolerance != 0 {
		tol = CellNumber(r.Tolerance)
	}
	return map[string]string{"plan": t.Plan, "indicator": t.Indicator, "period": t.Period.String(),
		"scope": string(t.Scope), "unit": t.Unit, "seq": strconv.Itoa(r.Seq), "group": strconv.Itoa(t.Group), "task": t.Task,
		"text": r.Text, "reading": TargetReading(r.Text), "kind": string(r.Kind), "op": op, "a": a, "b": b,
		"base_year": cellInt(r.BaseYear), "tolerance": tol, "direction": string(r.Direction),
		"source": r.Source, "act": r.Act, "act_date": CellDate(r.ActDate), "effective": CellDate(r.Effective),
		"reason": r.Reason, "entered_by": r.EnteredBy, "entered_at": at}
}
