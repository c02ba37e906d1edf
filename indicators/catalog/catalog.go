// Package catalog holds chitieu's built-in catalogue: Politburo Resolution
// 59-NQ/TW of 5 August 2020 on Can Tho, the plans that make it concrete, its
// ten groups of tasks, the city's units and reporting agencies, the
// indicators, every target found in the reference fact sheet and the values
// reported so far.
//
// The data lives in resolution59.json, embedded in the binary, so that it can
// be read and reviewed as data. Every number in it comes from the fact sheet
// (docs reference/resolution59.md) with its source codes ("S08"); where the
// sheet says "not found" there is no value and no target. Builtin parses the
// file into domain types and validates every item; it does no I/O beyond the
// embedded file and writes nothing.
package catalog

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"chitieu/indicators"
)

//go:embed resolution59.json
var resolution59 []byte

// EnteredBy is the author recorded on the catalogue's targets and values;
// pages show it as indicators.AuthorName does.
const EnteredBy = indicators.BuiltinAuthor

// RootPlan is the key, in resolution59.json, of Resolution 59-NQ/TW: the plan
// that owns the task groups every other plan's targets are filed under.
const RootPlan = "R59"

// Builtin returns the built-in Resolution 59 catalogue. Each call parses the
// embedded file afresh, so callers may change what they get.
func Builtin() (*indicators.Catalog, error) {
	return parse(resolution59)
}

// PlanIDs maps the keys used in resolution59.json (R59, R98, DH14 …) to the
// plan IDs of the built-in catalogue, for tests and tools that need to find a
// plan of the fact sheet by its register key.
func PlanIDs() (map[string]string, error) {
	f, err := decode(resolution59)
	if err != nil {
		return nil, err
	}
	ids := make(map[string]string, len(f.Plans))
	for _, p := range f.Plans {
		issued, err := date("issued", p.Issued)
		if err != nil {
			return nil, fmt.Errorf("catalog: plan %s: %w", p.Key, err)
		}
		ids[p.Key] = indicators.PlanID(p.Code, issued)
	}
	return ids, nil
}

// The JSON shapes of resolution59.json. Plans are referred to by their
// register key (R59, R98 …); a target's scope, act and act date come from its
// plan, and a value's scope must match its unit's.
type file struct {
	Note       string          `json:"note"`
	Sources    []sourceJSON    `json:"sources"`
	Plans      []planJSON      `json:"plans"`
	Groups     []groupJSON     `json:"groups"`
	Tasks      []taskJSON      `json:"tasks"`
	Units      []unitJSON      `json:"units"`
	Communes   communesJSON    `json:"communes"`
	Indicators []indicatorJSON `json:"indicators"`
	Targets    []targetJSON    `json:"targets"`
	Values     []valueJSON     `json:"values"`
}

type sourceJSON struct {
	Code      string `json:"code"`
	Title     string `json:"title"`
	Publisher string `json:"publisher"`
	Date      string `json:"date"`
	DateNote  string `json:"date_note"`
	Address   string `json:"address"`
}

type planJSON struct {
	Key         string `json:"key"`
	Code        string `json:"code"`
	Issued      string `json:"issued"`
	IssuedNote  string `json:"issued_note"`
	IssuingBody string `json:"issuing_body"`
	TitleVI     string `json:"title_vi"`
	TitleEN     string `json:"title_en"`
	HorizonFrom int    `json:"horizon_from"`
	HorizonTo   int    `json:"horizon_to"`
	Scope       string `json:"scope"`
	Parent      string `json:"parent"`
	Source      string `json:"source"`
	// Incomplete names the parts of the plan's list that are not public in
	// full (fact sheet, register and tables b2–b4), in Vietnamese and English.
	Incomplete   string `json:"incomplete"`
	IncompleteEN string `json:"incomplete_en"`
}

type groupJSON struct {
	Plan    string `json:"plan"`
	Number  int    `json:"number"`
	NameVI  string `json:"name_vi"`
	NameEN  string `json:"name_en"`
	ScopeVI string `json:"scope_vi"`
	ScopeEN string `json:"scope_en"`
}

type taskJSON struct {
	Code       string   `json:"code"`
	Plan       string   `json:"plan"`
	Group      int      `json:"group"`
	NameVI     string   `json:"name_vi"`
	NameEN     string   `json:"name_en"`
	LeadAgency string   `json:"lead_agency"`
	Start      string   `json:"start"`
	Deadline   string   `json:"deadline"`
	Percent    *float64 `json:"percent"`
	Done       string   `json:"done"`
	StatusNote string   `json:"status_note"`
	Source     string   `json:"source"`
}

type unitJSON struct {
	Code      string `json:"code"`
	NameVI    string `json:"name_vi"`
	NameEN    string `json:"name_en"`
	Kind      string `json:"kind"`
	Type      string `json:"type"`
	Parent    string `json:"parent"`
	Scope     string `json:"scope"`
	ValidFrom string `json:"valid_from"`
	ValidTo   string `json:"valid_to"`
	Source    string `json:"source"`
}

// communesJSON lists the commune-level units of the merged city by name
// (NQ 1668/NQ-UBTVQH15); their codes are made by communeCode.
type communesJSON struct {
	Note      string   `json:"note"`
	Source    string   `json:"source"`
	ValidFrom string   `json:"valid_from"`
	Parent    string   `json:"parent"`
	Wards     []string `json:"wards"`
	Communes  []string `json:"communes"`
}

type indicatorJSON struct {
	Code       string `json:"code"`
	NameVI     string `json:"name_vi"`
	NameEN     string `json:"name_en"`
	Unit       string `json:"unit"`
	UnitEN     string `json:"unit_en"`
	Decimals   int    `json:"decimals"`
	Direction  string `json:"direction"`
	Measure    string `json:"measure"`
	Rollup     string `json:"rollup"`
	WeightBy   string `json:"weight_by"`
	LeadAgency string `json:"lead_agency"`
	Frequency  string `json:"frequency"`
	Group      int    `json:"group"`
	NoteVI     string `json:"note_vi"`
	NoteEN     string `json:"note_en"`
}

type targetJSON struct {
	Plan      string    `json:"plan"`
	Indicator string    `json:"indicator"`
	Period    string    `json:"period"`
	Group     int       `json:"group"`
	Kind      string    `json:"kind"`
	Bound     boundJSON `json:"bound"`
	Direction string    `json:"direction"`
	Text      string    `json:"text"`
	Note      string    `json:"note"` // a caveat on how the target was recorded; kept as the revision's reason
	Source    string    `json:"source"`
}

type boundJSON struct {
	Op string  `json:"op"`
	A  float64 `json:"a"`
	B  float64 `json:"b"`
}

type valueJSON struct {
	Indicator string   `json:"indicator"`
	Unit      string   `json:"unit"`
	Period    string   `json:"period"`
	Type      string   `json:"type"`
	Value     float64  `json:"value"`
	High      *float64 `json:"high"`
	Scope     string   `json:"scope"`
	Note      string   `json:"note"`
	Source    string   `json:"source"`
}

func decode(data []byte) (*file, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("catalog: read resolution59.json: %w", err)
	}
	return &f, nil
}

// date reads an ISO date of the file; the empty string is the zero time.
func date(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return indicators.ParseDate(field, s)
}

func parse(data []byte) (*indicators.Catalog, error) {
	f, err := decode(data)
	if err != nil {
		return nil, err
	}
	c := &indicators.Catalog{}
	reg, err := f.sources(c)
	if err != nil {
		return nil, err
	}
	plans := map[string]indicators.Plan{} // by register key
	if err := f.plans(c, plans); err != nil {
		return nil, err
	}
	groups := map[string]map[int]bool{} // plan ID → group numbers
	for _, g := range f.Groups {
		p, ok := plans[g.Plan]
		key := fmt.Sprintf("%s/%d", g.Plan, g.Number)
		if !ok {
			return nil, fmt.Errorf("catalog: group %s: unknown plan %q", key, g.Plan)
		}
		tg := indicators.TaskGroup{Plan: p.ID, Number: g.Number, NameVI: g.NameVI, NameEN: g.NameEN,
			ScopeVI: g.ScopeVI, ScopeEN: g.ScopeEN}
		if err := tg.Validate(); err != nil {
			return nil, fmt.Errorf("catalog: group %s: %w", key, err)
		}
		if groups[p.ID] == nil {
			groups[p.ID] = map[int]bool{}
		}
		if groups[p.ID][g.Number] {
			return nil, fmt.Errorf("catalog: group %s: listed twice", key)
		}
		groups[p.ID][g.Number] = true
		c.Groups = append(c.Groups, tg)
	}
	root, ok := plans[RootPlan]
	if !ok {
		return nil, fmt.Errorf("catalog: plan %s is missing", RootPlan)
	}
	rootGroups := groups[root.ID]

	units := map[string]indicators.Unit{}
	if err := f.units(c, units); err != nil {
		return nil, err
	}
	agency := func(code string) error {
		if code == "" {
			return nil
		}
		if u, ok := units[code]; !ok || u.Kind != indicators.Agency {
			return fmt.Errorf("lead agency %q is not an agency of the catalogue", code)
		}
		return nil
	}

	taskCodes := map[string]bool{}
	for _, t := range f.Tasks {
		task, err := f.task(t, plans, groups, agency)
		if err != nil {
			return nil, fmt.Errorf("catalog: task %s: %w", t.Code, err)
		}
		if taskCodes[t.Code] {
			return nil, fmt.Errorf("catalog: task %s: listed twice", t.Code)
		}
		taskCodes[t.Code] = true
		c.Tasks = append(c.Tasks, task)
	}

	inds := map[string]indicators.Indicator{}
	for _, j := range f.Indicators {
		ind := indicators.Indicator{Code: j.Code, NameVI: j.NameVI, NameEN: j.NameEN, Unit: j.Unit, UnitEN: j.UnitEN,
			Decimals: j.Decimals, Direction: indicators.Direction(j.Direction), Measure: indicators.Measure(j.Measure),
			Rollup: indicators.Rollup(j.Rollup), WeightBy: j.WeightBy, LeadAgency: j.LeadAgency,
			Frequency: indicators.Frequency(j.Frequency), Group: j.Group, NoteVI: j.NoteVI, NoteEN: j.NoteEN}
		err := ind.Validate()
		switch {
		case err != nil:
		case inds[j.Code].Code != "":
			err = fmt.Errorf("listed twice")
		case !rootGroups[j.Group]:
			err = fmt.Errorf("task group %d does not exist", j.Group)
		default:
			err = agency(j.LeadAgency)
		}
		if err != nil {
			return nil, fmt.Errorf("catalog: indicator %s: %w", j.Code, err)
		}
		inds[j.Code] = ind
		c.Indicators = append(c.Indicators, ind)
	}
	for _, ind := range c.Indicators {
		if ind.WeightBy != "" && inds[ind.WeightBy].Code == "" {
			return nil, fmt.Errorf("catalog: indicator %s: weight indicator %q does not exist", ind.Code, ind.WeightBy)
		}
	}

	seen := map[string]bool{}
	for _, j := range f.Targets {
		key := fmt.Sprintf("%s/%s/%s", j.Plan, j.Indicator, j.Period)
		t, err := target(j, plans, inds, rootGroups, reg)
		if err != nil {
			return nil, fmt.Errorf("catalog: target %s: %w", key, err)
		}
		id := fmt.Sprintf("%s|%s|%s|%s", t.Plan, t.Indicator, t.Period, t.Scope)
		if seen[id] {
			return nil, fmt.Errorf("catalog: target %s: another target has the same plan, indicator, period and scope", key)
		}
		seen[id] = true
		c.Targets = append(c.Targets, t)
	}

	for _, j := range f.Values {
		key := fmt.Sprintf("%s/%s/%s/%s", j.Indicator, j.Unit, j.Period, j.Type)
		v, err := value(j, inds, units, reg)
		if err != nil {
			return nil, fmt.Errorf("catalog: value %s: %w", key, err)
		}
		c.Values = append(c.Values, v)
	}
	for _, p := range c.Plans {
		if err := reg.check(p.Source); err != nil {
			return nil, fmt.Errorf("catalog: plan %s: %w", p.Code, err)
		}
	}
	return c, nil
}

// register is the catalogue's sources by code.
type register map[string]indicators.Source

func (f *file) sources(c *indicators.Catalog) (register, error) {
	reg := register{}
	for _, j := range f.Sources {
		published, err := date("date", j.Date)
		if err != nil {
			return nil, fmt.Errorf("catalog: source %s: %w", j.Code, err)
		}
		s := indicators.Source{Code: j.Code, Title: j.Title, Publisher: j.Publisher, Published: published,
			DateNote: j.DateNote, Address: j.Address}
		err = s.Validate()
		switch {
		case err != nil:
		case reg[j.Code].Code != "":
			err = fmt.Errorf("listed twice")
		case strings.TrimSpace(j.DateNote) == "":
			err = fmt.Errorf("the date note is missing (say how the date was read, or \"not found\")")
		}
		if err != nil {
			return nil, fmt.Errorf("catalog: source %s: %w", j.Code, err)
		}
		reg[j.Code] = s
		c.Sources = append(c.Sources, s)
	}
	return reg, nil
}

// knownFrom is when an item resting on the given sources became known: the
// latest publication date among them, since only then had every source it
// rests on been published. A source without a date is passed over; an item
// none of whose sources has a date, or that names a source the register
// lacks, is refused, because its known-from date would be invented.
func (reg register) knownFrom(field string) (time.Time, error) {
	if err := reg.check(field); err != nil {
		return time.Time{}, err
	}
	var at time.Time
	for _, code := range indicators.SourceCodes(field) {
		if s := reg[code]; s.Published.After(at) {
			at = s.Published
		}
	}
	if at.IsZero() {
		return at, fmt.Errorf("none of the sources %q has a publication date", field)
	}
	return at, nil
}

// check refuses a field of source codes that names none, or a code the
// register lacks.
func (reg register) check(field string) error {
	codes := indicators.SourceCodes(field)
	if len(codes) == 0 {
		return fmt.Errorf("no source code in %q", field)
	}
	for _, code := range codes {
		if _, ok := reg[code]; !ok {
			return fmt.Errorf("source %s is not in the register", code)
		}
	}
	return nil
}

func (f *file) plans(c *indicators.Catalog, plans map[string]indicators.Plan) error {
	ids := map[string]bool{}
	for i, j := range f.Plans {
		issued, err := date("issued", j.Issued)
		if err != nil {
			return fmt.Errorf("catalog: plan %s: %w", j.Key, err)
		}
		p := indicators.Plan{ID: indicators.PlanID(j.Code, issued), Code: j.Code, Issued: issued,
			IssuedNote: j.IssuedNote, IssuingBody: j.IssuingBody, TitleVI: j.TitleVI, TitleEN: j.TitleEN,
			HorizonFrom: j.HorizonFrom, HorizonTo: j.HorizonTo, Scope: indicators.Scope(j.Scope),
			Source: j.Source, Order: i + 1, Incomplete: j.Incomplete, IncompleteEN: j.IncompleteEN}
		err = p.Validate()
		switch {
		case err != nil:
		case j.Key == "":
			err = fmt.Errorf("the register key is missing")
		case plans[j.Key].ID != "":
			err = fmt.Errorf("key listed twice")
		case ids[p.ID]:
			err = fmt.Errorf("another plan has the ID %q", p.ID)
		case j.Parent != "":
			parent, ok := plans[j.Parent]
			if !ok {
				err = fmt.Errorf("parent %q is not listed before it", j.Parent)
			}
			p.Parent = parent.ID
		}
		if err != nil {
			return fmt.Errorf("catalog: plan %s: %w", j.Key, err)
		}
		ids[p.ID] = true
		plans[j.Key] = p
		c.Plans = append(c.Plans, p)
	}
	return nil
}

func (f *file) units(c *indicators.Catalog, units map[string]indicators.Unit) error {
	for _, j := range f.Units {
		from, err := date("valid_from", j.ValidFrom)
		if err != nil {
			return fmt.Errorf("catalog: unit %s: %w", j.Code, err)
		}
		to, err := date("valid_to", j.ValidTo)
		if err != nil {
			return fmt.Errorf("catalog: unit %s: %w", j.Code, err)
		}
		u := indicators.Unit{Code: j.Code, NameVI: j.NameVI, NameEN: j.NameEN, Kind: indicators.UnitKind(j.Kind),
			Type: j.Type, Parent: j.Parent, Scope: indicators.Scope(j.Scope), ValidFrom: from, ValidTo: to,
			Source: j.Source}
		err = u.Validate()
		switch {
		case err != nil:
		case units[j.Code].Code != "":
			err = fmt.Errorf("listed twice")
		case j.Parent != "" && units[j.Parent].Code == "":
			err = fmt.Errorf("parent %q is not listed before it", j.Parent)
		case u.Kind == indicators.Agency && u.Scope != "":
			err = fmt.Errorf("an agency has no territorial scope")
		}
		if err != nil {
			return fmt.Errorf("catalog: unit %s: %w", j.Code, err)
		}
		units[j.Code] = u
		c.Units = append(c.Units, u)
	}
	return f.communes(c, units)
}

// communeCode is the catalogue's internal code of a commune-level unit of
// the merged city: "P-" for a phường or "X-" for a xã, then its name in
// capitals without diacritics ("Long Phú 1" → "P-LONG-PHU-1"). The units'
// official codes were not found in public sources and are not invented;
// the schema keys a unit by a code, so this one is made from what is known
// and stays the same at every load. The kind is part of it, so that the
// ward Vị Thanh and the commune Vị Thanh 1, or the ward Long Phú 1 and the
// commune Long Phú, can never meet.
func communeCode(ward bool, name string) string {
	prefix := "X-"
	if ward {
		prefix = "P-"
	}
	return prefix + strings.ToUpper(indicators.Slug(name))
}

func (f *file) communes(c *indicators.Catalog, units map[string]indicators.Unit) error {
	j := f.Communes
	from, err := date("valid_from", j.ValidFrom)
	if err != nil {
		return fmt.Errorf("catalog: communes: %w", err)
	}
	if units[j.Parent].Kind != indicators.City {
		return fmt.Errorf("catalog: communes: parent %q is not a city of the catalogue", j.Parent)
	}
	add := func(ward bool, name string) error {
		typ, kindEN := "xã", "commune"
		if ward {
			typ, kindEN = "phường", "ward"
		}
		nameVI := "Xã " + name
		if ward {
			nameVI = "Phường " + name
		}
		u := indicators.Unit{Code: communeCode(ward, name), NameVI: nameVI, NameEN: name + " " + kindEN,
			Kind: indicators.Commune, Type: typ, Parent: j.Parent, Scope: units[j.Parent].Scope, ValidFrom: from,
			Source: j.Source}
		if err := u.Validate(); err != nil {
			return fmt.Errorf("catalog: commune %s: %w", name, err)
		}
		if units[u.Code].Code != "" {
			return fmt.Errorf("catalog: commune %s: code %s is taken", name, u.Code)
		}
		units[u.Code] = u
		c.Units = append(c.Units, u)
		return nil
	}
	for _, name := range j.Wards {
		if err := add(true, name); err != nil {
			return err
		}
	}
	for _, name := range j.Communes {
		if err := add(false, name); err != nil {
			return err
		}
	}
	return nil
}

func (f *file) task(j taskJSON, plans map[string]indicators.Plan, groups map[string]map[int]bool,
	agency func(string) error) (indicators.Task, error) {
	p, ok := plans[j.Plan]
	if !ok {
		return indicators.Task{}, fmt.Errorf("unknown plan %q", j.Plan)
	}
	if !groups[p.ID][j.Group] {
		return indicators.Task{}, fmt.Errorf("plan %s has no task group %d", j.Plan, j.Group)
	}
	if err := agency(j.LeadAgency); err != nil {
		return indicators.Task{}, err
	}
	t := indicators.Task{Code: j.Code, Plan: p.ID, Group: j.Group, NameVI: j.NameVI, NameEN: j.NameEN,
		LeadAgency: j.LeadAgency, Percent: j.Percent, StatusNote: j.StatusNote, Source: j.Source}
	var err error
	if t.Start, err = date("start", j.Start); err != nil {
		return t, err
	}
	if t.Deadline, err = date("deadline", j.Deadline); err != nil {
		return t, err
	}
	if t.Done, err = date("done", j.Done); err != nil {
		return t, err
	}
	if strings.TrimSpace(t.Source) == "" {
		return t, fmt.Errorf("the source is missing")
	}
	return t, t.Validate()
}

func target(j targetJSON, plans map[string]indicators.Plan, inds map[string]indicators.Indicator,
	groups map[int]bool, reg register) (indicators.Target, error) {
	p, ok := plans[j.Plan]
	if !ok {
		return indicators.Target{}, fmt.Errorf("unknown plan %q", j.Plan)
	}
	if _, ok := inds[j.Indicator]; !ok {
		return indicators.Target{}, fmt.Errorf("unknown indicator %q", j.Indicator)
	}
	if !groups[j.Group] {
		return indicators.Target{}, fmt.Errorf("task group %d does not exist", j.Group)
	}
	period, err := indicators.ParseYearRange("period", j.Period)
	if err != nil {
		return indicators.Target{}, err
	}
	if strings.TrimSpace(j.Source) == "" {
		return indicators.Target{}, fmt.Errorf("the source is missing")
	}
	// A target is known from its act's date; where the sources give no date
	// for the act (the poverty programme, the national airport plan), from
	// the day its sources published it — never from the day the database
	// was made.
	known := p.Issued
	if err := reg.check(j.Source); err != nil {
		return indicators.Target{}, err
	}
	if known.IsZero() {
		if known, err = reg.knownFrom(j.Source); err != nil {
			return indicators.Target{}, err
		}
	}
	t := indicators.Target{
		Plan: p.ID, Indicator: j.Indicator, Period: period, Scope: p.Scope, Group: j.Group,
		TargetRevision: indicators.TargetRevision{
			Kind:      indicators.Kind(j.Kind),
			Bound:     indicators.Bound{Op: indicators.Op(j.Bound.Op), A: j.Bound.A, B: j.Bound.B},
			Direction: indicators.Direction(j.Direction),
			Text:      j.Text,
			Source:    j.Source,
			Act:       p.Code,
			ActDate:   p.Issued,
			Effective: p.Issued,
			Reason:    j.Note,
			EnteredBy: EnteredBy,
			EnteredAt: known,
		},
	}
	if err := t.Validate(); err != nil {
		return t, err
	}
	return t, nil
}

func value(j valueJSON, inds map[string]indicators.Indicator, units map[string]indicators.Unit,
	reg register) (indicators.Value, error) {
	if _, ok := inds[j.Indicator]; !ok {
		return indicators.Value{}, fmt.Errorf("unknown indicator %q", j.Indicator)
	}
	u, ok := units[j.Unit]
	if !ok {
		return indicators.Value{}, fmt.Errorf("unknown unit %q", j.Unit)
	}
	period, err := indicators.ParsePeriod(j.Period)
	if err != nil {
		return indicators.Value{}, err
	}
	// A value is known from the day its sources published it.
	known, err := reg.knownFrom(j.Source)
	if err != nil {
		return indicators.Value{}, err
	}
	v := indicators.Value{
		Key:   indicators.Key{Indicator: j.Indicator, Unit: j.Unit, Period: period, Type: indicators.ValueType(j.Type)},
		Value: j.Value, High: j.High, Scope: indicators.Scope(j.Scope), Note: j.Note,
		Source: j.Source, EnteredBy: EnteredBy, EnteredAt: known,
	}
	if err := v.Validate(); err != nil {
		return v, err
	}
	if v.Scope != u.Scope {
		return v, fmt.Errorf("scope %q differs from the scope %q of unit %s", v.Scope, u.Scope, u.Code)
	}
	return v, nil
}
