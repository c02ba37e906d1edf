package importers

import (
	"fmt"
	"sort"

	"chitieu/indicators"
)

// planFrom, unitFrom and indicatorFrom build an item from its record,
// whose cells the reader has checked.
func planFrom(r map[string]string) indicators.Plan {
	return indicators.Plan{ID: r["id"], Code: r["code"], Issued: dateOf(r["issued"]), IssuedNote: r["issued_note"],
		IssuingBody: r["issuing_body"], TitleVI: r["title_vi"], TitleEN: r["title_en"],
		HorizonFrom: atoi(r["horizon_from"]), HorizonTo: atoi(r["horizon_to"]), Scope: indicators.Scope(r["scope"]),
		Parent: r["parent"], Source: r["source"], Order: atoi(r["order"])}
}

// plansSheet: a plan's key is its id, made from its code and date when the
// cell is empty; its parent may be a plan of the workbook, which goes first.
func (d *differ) plansSheet() sheetDiff[indicators.Plan] {
	return sheetDiff[indicators.Plan]{
		sheet: indicators.PlansSheet, object: indicators.ObjPlan, keyCol: "id",
		key: func(rec map[string]string) (string, map[string]string) {
			if id := rec["id"]; id != "" || rec["code"] == "" {
				return id, rec
			}
			id := indicators.PlanID(rec["code"], dateOf(rec["issued"]))
			return id, overlay(rec, map[string]string{"id": id}, indicators.PlansSheet)
		},
		stored:    d.plan,
		build:     func(rec map[string]string, _ indicators.Plan) indicators.Plan { return planFrom(rec) },
		keepEmpty: []string{"order"},
		remember:  func(p indicators.Plan) { d.plan[p.ID] = p },
		set:       func(c *indicators.CatalogChange, p *indicators.Plan) { c.Plan = p },
		missing: func(c indicators.CatalogChange) (string, string, string) {
			if _, ok := d.plan[c.Plan.Parent]; c.Plan.Parent != "" && !ok {
				return "parent", fmt.Sprintf("không có kế hoạch cha %q", c.Plan.Parent), fmt.Sprintf("there is no parent plan %q", c.Plan.Parent)
			}
			return "", "", ""
		},
		forget: func(id string) { delete(d.plan, id) },
		order: func(kept []indicators.CatalogChange) {
			sort.SliceStable(kept, func(i, j int) bool { return d.planDepth(kept[i].Plan.ID) < d.planDepth(kept[j].Plan.ID) })
		},
	}
}

// groupsSheet: a task group's key is its plan and number; its plan must be
// known.
func (d *differ) groupsSheet() sheetDiff[indicators.TaskGroup] {
	stored := map[string]indicators.TaskGroup{}
	for _, g := range d.cur.Groups {
		stored[fmt.Sprintf("%s/%d", g.Plan, g.Number)] = g
	}
	return sheetDiff[indicators.TaskGroup]{
		sheet: indicators.GroupsSheet, object: indicators.ObjTaskGroup, keyCol: "number",
		key:    func(rec map[string]string) (string, map[string]string) { return rec["plan"] + "/" + rec["number"], rec },
		stored: stored,
		build: func(rec map[string]string, _ indicators.TaskGroup) indicators.TaskGroup {
			return indicators.TaskGroup{Plan: rec["plan"], Number: atoi(rec["number"]), NameVI: rec["name_vi"], NameEN: rec["name_en"],
				ScopeVI: rec["scope_vi"], ScopeEN: rec["scope_en"]}
		},
		check: func(row BookRow, g indicators.TaskGroup) bool {
			if _, ok := d.plan[g.Plan]; !ok {
				d.reject(row, "plan", fmt.Sprintf("không có kế hoạch mã %q", g.Plan), fmt.Sprintf("there is no plan %q", g.Plan))
				return false
			}
			return true
		},
		remember: d.addGroup,
		set:      func(c *indicators.CatalogChange, g *indicators.TaskGroup) { c.Group = g },
	}
}

func unitFrom(r map[string]string) indicators.Unit {
	return indicators.Unit{Code: r["code"], NameVI: r["name_vi"], NameEN: r["name_en"], Kind: indicators.UnitKind(r["kind"]),
		Type: r["type"], Parent: r["parent"], Scope: indicators.Scope(r["scope"]), ValidFrom: dateOf(r["valid_from"]),
		ValidTo: dateOf(r["valid_to"]), Source: r["source"]}
}

// unitsSheet: a unit's parent may be a unit of the workbook, which goes
// first.
func (d *differ) unitsSheet() sheetDiff[indicators.Unit] {
	return sheetDiff[indicators.Unit]{
		sheet: indicators.UnitsSheet, object: indicators.ObjUnit, keyCol: "code",
		stored:   d.unit,
		build:    func(rec map[string]string, _ indicators.Unit) indicators.Unit { return unitFrom(rec) },
		remember: func(u indicators.Unit) { d.unit[u.Code] = u },
		set:      func(c *indicators.CatalogChange, u *indicators.Unit) { c.Unit = u },
		missing: func(c indicators.CatalogChange) (string, string, string) {
			if p := c.Unit.Parent; p != "" && (d.unit[p].Code == "" || p == c.Unit.Code) {
				return "parent", fmt.Sprintf("không có đơn vị cấp trên %q", p), fmt.Sprintf("there is no parent unit %q", p)
			}
			return "", "", ""
		},
		forget: func(code string) { delete(d.unit, code) },
		order: func(kept []indicators.CatalogChange) {
			sort.SliceStable(kept, func(i, j int) bool { return d.unitDepth(kept[i].Unit.Code) < d.unitDepth(kept[j].Unit.Code) })
		},
	}
}

func indicatorFrom(rec map[string]string) indicators.Indicator {
	ind := indicators.Indicator{Code: rec["code"], NameVI: rec["name_vi"], NameEN: rec["name_en"], Unit: rec["unit"],
		UnitEN: rec["unit_en"], Decimals: atoi(rec["decimals"]), Direction: indicators.Direction(rec["direction"]),
		Measure: indicators.Measure(rec["measure"]), Rollup: indicators.Rollup(rec["rollup"]), WeightBy: rec["weight_by"],
		LeadAgency: rec["lead_agency"], Frequency: indicators.Frequency(rec["frequency"]), Group: atoi(rec["group"]),
		NoteVI: rec["note_vi"], NoteEN: rec["note_en"]}
	if rec["decimals"] == "" {
		ind.Decimals = 2
	}
	return ind
}

// indicatorsSheet: an indicator's lead agency and task group must be
// known; the indicator it is weighted by may be one of the workbook, which
// goes first.
func (d *differ) indicatorsSheet() sheetDiff[indicators.Indicator] {
	return sheetDiff[indicators.Indicator]{
		sheet: indicators.IndicatorsSheet, object: indicators.ObjIndicator, keyCol: "code",
		stored: d.ind,
		build:  func(rec map[string]string, _ indicators.Indicator) indicators.Indicator { return indicatorFrom(rec) },
		check: func(row BookRow, ind indicators.Indicator) bool {
			if !d.agencyKnown(ind.LeadAgency) {
				d.reject(row, "lead_agency", fmt.Sprintf("không có cơ quan mã %q (trang %s, loại agency)", ind.LeadAgency, indicators.UnitsSheet.Name),
					fmt.Sprintf("there is no agency %q (sheet %s, kind agency)", ind.LeadAgency, indicators.UnitsSheet.Name))
				return false
			}
			if !d.anyGroup(ind.Group) {
				d.reject(row, "group", fmt.Sprintf("không có nhóm nhiệm vụ số %d", ind.Group), fmt.Sprintf("there is no task group %d", ind.Group))
				return false
			}
			return true
		},
		remember: func(ind indicators.Indicator) { d.ind[ind.Code] = ind },
		set:      func(c *indicators.CatalogChange, ind *indicators.Indicator) { c.Indicator = ind },
		missing: func(c indicators.CatalogChange) (string, string, string) {
			if w := c.Indicator.WeightBy; w != "" && d.ind[w].Code == "" {
				return "weight_by", fmt.Sprintf("không có chỉ tiêu trọng số %q", w), fmt.Sprintf("there is no weighting indicator %q", w)
			}
			return "", "", ""
		},
		forget: func(code string) { delete(d.ind, code) },
		order: func(kept []indicators.CatalogChange) {
			sort.SliceStable(kept, func(i, j int) bool {
				return !d.newIDs["indicator:"+kept[i].Indicator.WeightBy] && d.newIDs["indicator:"+kept[j].Indicator.WeightBy]
			})
		},
	}
}

// tasksSheet: a task keeps its stored id; its plan, the plan's task group
// and its lead agency must be known.
func (d *differ) tasksSheet() sheetDiff[indicators.Task] {
	stored := map[string]indicators.Task{}
	for _, t := range d.cur.Tasks {
		stored[t.Code] = t
	}
	return sheetDiff[indicators.Task]{
		sheet: indicators.TasksSheet, object: indicators.ObjTask, keyCol: "code",
		stored: stored,
		build: func(rec map[string]string, st indicators.Task) indicators.Task {
			t := indicators.Task{ID: st.ID, Code: rec["code"], Plan: rec["plan"], Group: atoi(rec["group"]), NameVI: rec["name_vi"],
				NameEN: rec["name_en"], LeadAgency: rec["lead_agency"], Start: dateOf(rec["start"]),
				Deadline: dateOf(rec["deadline"]), Done: dateOf(rec["done"]), StatusNote: rec["status_note"], Source: rec["source"]}
			if rec["percent"] != "" {
				x := atof(rec["percent"])
				t.Percent = &x
			}
			return t
		},
		check: func(row BookRow, t indicators.Task) bool {
			switch _, ok := d.plan[t.Plan]; {
			case !ok:
				d.reject(row, "plan", fmt.Sprintf("không có kế hoạch mã %q", t.Plan), fmt.Sprintf("there is no plan %q", t.Plan))
			case !d.groupKnown(t.Plan, t.Group):
				d.reject(row, "group", fmt.Sprintf("kế hoạch %s không có nhóm nhiệm vụ số %d", t.Plan, t.Group),
					fmt.Sprintf("plan %s has no task group %d", t.Plan, t.Group))
			case !d.agencyKnown(t.LeadAgency):
				d.reject(row, "lead_agency", fmt.Sprintf("không có cơ quan mã %q (trang %s, loại agency)", t.LeadAgency, indicators.UnitsSheet.Name),
					fmt.Sprintf("there is no agency %q (sheet %s, kind agency)", t.LeadAgency, indicators.UnitsSheet.Name))
			default:
				return true
			}
			return false
		},
		remember: func(t indicators.Task) { d.task[t.Code] = true },
		set:      func(c *indicators.CatalogChange, t *indicators.Task) { c.Task = t },
	}
}

// planDepth counts the plans created by the workbook above id.
func (d *differ) planDepth(id string) int {
	n := 0
	for cur, i := d.plan[id].Parent, 0; cur != "" && i < 20; cur, i = d.plan[cur].Parent, i+1 {
		if d.newIDs["plan:"+cur] {
			n++
		}
	}
	return n
}

// groupKnown reports whether plan, or the nearest plan above it that has
// task groups, has group n; a plan with no groups in its line files its
// items under any plan's group of that number, as the built-in catalogue
// files the national airport plan under Resolution 59's groups.
func (d *differ) groupKnown(plan string, n int) bool {
	for cur, i := plan, 0; cur != "" && i < 20; cur, i = d.plan[cur].Parent, i+1 {
		if gs := d.group[cur]; len(gs) > 0 {
			return gs[n]
		}
	}
	return d.anyGroup(n)
}

func (d *differ) unitDepth(code string) int {
	n := 0
	for cur, i := d.unit[code].Parent, 0; cur != "" && i < 20; cur, i = d.unit[cur].Parent, i+1 {
		if d.newIDs["unit:"+cur] {
			n++
		}
	}
	return n
}

// anyGroup reports whether some plan has task group n.
func (d *differ) anyGroup(n int) bool {
	for _, gs := range d.group {
		if gs[n] {
			return true
		}
	}
	return false
}

// agencyKnown checks a lead agency: empty, or a unit of kind agency.
func (d *differ) agencyKnown(code string) bool {
	return code == "" || d.unit[code].Kind == indicators.Agency
}

// metadataSheet: an indicator's metadata sheet, keyed by the indicator's
// code, which must be stored or made by the workbook's indicator sheet. A
// row with every field empty for an indicator that has no sheet is only
// counted.
func (d *differ) metadataSheet() sheetDiff[indicators.IndicatorMetadata] {
	stored := map[string]indicators.IndicatorMetadata{}
	for _, m := range d.cur.Metadata {
		stored[m.Indicator] = m
	}
	return sheetDiff[indicators.IndicatorMetadata]{
		sheet: indicators.MetadataSheet, object: indicators.ObjMetadata, keyCol: "code",
		stored: stored,
		build: func(rec map[string]string, _ indicators.IndicatorMetadata) indicators.IndicatorMetadata {
			return indicators.MetadataFrom(rec)
		},
		check: func(row BookRow, m indicators.IndicatorMetadata) bool {
			if d.ind[m.Indicator].Code == "" {
				d.reject(row, "code", fmt.Sprintf("không có chỉ tiêu mã %q (trang %s)", m.Indicator, indicators.IndicatorsSheet.Name),
					fmt.Sprintf("there is no indicator of code %q (sheet %s)", m.Indicator, indicators.IndicatorsSheet.Name))
				return false
			}
			if _, ok := stored[m.Indicator]; !ok && m.Empty() {
				d.p.Unchanged++
				return false
			}
			return true
		},
		remember: func(indicators.IndicatorMetadata) {},
		set:      func(c *indicators.CatalogChange, m *indicators.IndicatorMetadata) { c.Metadata = m },
	}
}
