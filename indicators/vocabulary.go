package indicators

import (
	"sort"
	"strings"
)

// The vocabulary: the one Vietnamese and one English label of each code
// that people read — target kinds, territories, directions, measures,
// roll-ups, frequencies, value types, unit kinds, batch states and the
// actions of the audit trail. Pages (through their message catalogue,
// which takes these in), reports, the plan workbook and the command line
// show these labels, never the codes.

// vocabulary maps a group ("kind") and a code ("avg_growth") to its labels.
var vocabulary = map[string]map[string][2]string{
	"kind": {
		string(LevelTarget):      {"mức đạt vào năm cuối", "level in the end year"},
		string(AvgGrowthTarget):  {"tăng bình quân giai đoạn", "average growth over the period"},
		string(AnnualTarget):     {"hằng năm", "every year"},
		string(CumulativeTarget): {"cộng dồn cả giai đoạn", "total over the period"},
		string(MilestoneTarget):  {"mốc hoàn thành", "milestone"},
		string(AverageTarget):    {"bình quân các năm", "mean over the years"},
		string(RelativeTarget):   {"so với năm gốc", "against a base year"},
		string(AvgChangeTarget):  {"thay đổi bình quân mỗi năm", "average change a year"},
	},
	"scope": {
		string(OldCity):    {"TP Cần Thơ cũ", "old city"},
		string(MergedCity): {"TP sau hợp nhất", "merged city"},
		"":                 {"–", "–"},
	},
	"direction": {
		string(Up):     {"càng cao càng tốt", "higher is better"},
		string(Down):   {"càng thấp càng tốt", "lower is better"},
		string(Within): {"nằm trong khoảng", "within a range"},
	},
	"measure": {
		string(Level):      {"mức", "level"},
		string(Rate):       {"tỷ lệ", "rate"},
		string(Share):      {"tỷ trọng", "share"},
		string(GrowthRate): {"tốc độ tăng", "growth rate"},
		string(Count):      {"số lượng", "count"},
	},
	"rollup": {
		string(RollupSum):      {"cộng các đơn vị", "sum of the units"},
		string(RollupWeighted): {"bình quân có trọng số", "weighted mean"},
		string(RollupNone):     {"không cộng được", "not additive"},
	},
	"frequency": {
		string(Yearly):    {"năm", "yearly"},
		string(HalfYear):  {"6 tháng", "half-yearly"},
		string(Quarterly): {"quý", "quarterly"},
		string(Monthly):   {"tháng", "monthly"},
	},
	"value_type": {
		string(PlanValue):     {"Kế hoạch (KH)", "Plan"},
		string(EstimateValue): {"Ước thực hiện (ƯTH)", "Estimate"},
		string(OfficialValue): {"Chính thức (TH)", "Official"},
	},
	"unit_kind": {
		string(City):     {"Thành phố", "City"},
		string(District): {"Quận, huyện", "District"},
		string(Commune):  {"Xã, phường", "Commune or ward"},
		string(Agency):   {"Cơ quan báo cáo", "Reporting agency"},
	},
	"batch_state": {
		string(Previewed):  {"Chờ ghi", "Previewed"},
		string(Committed):  {"Đã ghi", "Committed"},
		string(RolledBack): {"Đã hoàn tác", "Rolled back"},
	},
}

// Label is the label of code in group ("kind", "scope", "direction",
// "measure", "rollup", "frequency", "value_type", "unit_kind",
// "batch_state") in lang; a code the vocabulary lacks shows as itself.
func Label(group, code, lang string) string {
	if l, ok := vocabulary[group][code]; ok {
		return pickLabel(l, lang)
	}
	return code
}

// Vocabulary lists every label in lang by "group.code" ("kind.level"),
// the actions' as "action.value.retract": the message catalogue of the
// pages takes them in.
func Vocabulary(lang string) map[string]string {
	out := map[string]string{}
	for g, codes := range vocabulary {
		for c, l := range codes {
			out[g+"."+c] = pickLabel(l, lang)
		}
	}
	for a, l := range actionLabels {
		out["action."+a] = pickLabel(l, lang)
	}
	return out
}

// VocabularyCode reads a cell or a form field of a coded field back to its
// code: the text may be the code itself or its label in either language,
// in any case and spacing ("TP Cần Thơ cũ", "old city", "old_city" are all
// old_city). ok is false for a text the group does not know, which is
// returned cleaned for the field's own validation to refuse or accept (a
// scope may be a code of its own).
func VocabularyCode(group, text string) (code string, ok bool) {
	t := CleanSpaces(text)
	if t == "" {
		return "", true
	}
	fold := strings.ToLower(t)
	for c, l := range vocabulary[group] {
		if c == "" {
			continue
		}
		if fold == strings.ToLower(c) || fold == strings.ToLower(l[0]) || fold == strings.ToLower(l[1]) {
			return c, true
		}
	}
	return t, false
}

// VocabularyLabels lists the labels of a group in lang, sorted, for lists
// of choices (the plan workbook's drop-down lists and instructions).
func VocabularyLabels(group, lang string) []string {
	var out []string
	for c, l := range vocabulary[group] {
		if c != "" {
			out = append(out, pickLabel(l, lang))
		}
	}
	sort.Strings(out)
	return out
}

// VocabularyCodes lists the codes of a group, for tests and forms.
func VocabularyCodes(group string) []string {
	var out []string
	for c := range vocabulary[group] {
		if c != "" {
			out = append(out, c)
		}
	}
	return out
}

// Label is the kind as people read it.
func (k Kind) Label(lang string) string { return Label("kind", string(k), lang) }

// Label is the territory as people read it.
func (s Scope) Label(lang string) string { return Label("scope", string(s), lang) }

// Label is the batch's state as people read it.
func (b BatchState) Label(lang string) string { return Label("batch_state", string(b), lang) }

// Label is the value type as people read it.
func (t ValueType) Label(lang string) string { return Label("value_type", string(t), lang) }

// Label is the unit kind as people read it.
func (k UnitKind) Label(lang string) string { return Label("unit_kind", string(k), lang) }

// Label is the direction as people read it.
func (d Direction) Label(lang string) string { return Label("direction", string(d), lang) }

// Label is the measure as people read it.
func (m Measure) Label(lang string) string { return Label("measure", string(m), lang) }

// actionLabels names every action the audit trail records.
var actionLabels = map[string][2]string{
	"login":             {"Đăng nhập", "Signed in"},
	"logout":            {"Đăng xuất", "Signed out"},
	"login.fail":        {"Đăng nhập không thành công", "Failed sign-in"},
	"login.throttled":   {"Đăng nhập bị tạm chặn", "Sign-in throttled"},
	"user.add":          {"Thêm người dùng", "User added"},
	"user.update":       {"Sửa người dùng", "User changed"},
	"user.passwd":       {"Đổi mật khẩu", "Password changed"},
	"user.enable":       {"Mở lại tài khoản", "Account enabled"},
	"user.disable":      {"Khóa tài khoản", "Account disabled"},
	"value.add":         {"Nhập số liệu", "Values entered"},
	"value.retract":     {"Hoàn tác số liệu", "Values retracted"},
	"batch.preview":     {"Xem trước lô nhập", "Import previewed"},
	"batch.commit":      {"Ghi nhận lô nhập", "Import committed"},
	"batch.rollback":    {"Hoàn tác lô nhập", "Import rolled back"},
	"catalog.load":      {"Nạp danh mục", "Catalogue loaded"},
	"planbook.preview":  {"Xem trước sổ kế hoạch", "Plan workbook previewed"},
	"planbook.import":   {"Nhập sổ kế hoạch", "Plan workbook imported"},
	"plan.create":       {"Thêm kế hoạch", "Plan added"},
	"plan.update":       {"Sửa kế hoạch", "Plan changed"},
	"task_group.create": {"Thêm nhóm nhiệm vụ", "Task group added"},
	"task_group.update": {"Sửa nhóm nhiệm vụ", "Task group changed"},
	"task.create":       {"Thêm nhiệm vụ", "Task added"},
	"task.update":       {"Sửa nhiệm vụ", "Task changed"},
	"task.progress":     {"Cập nhật tiến độ nhiệm vụ", "Task progress recorded"},
	"indicator.create":  {"Thêm chỉ tiêu", "Indicator added"},
	"indicator.update":  {"Sửa chỉ tiêu", "Indicator changed"},
	"target.create":     {"Thêm mục tiêu", "Target added"},
	"target.update":     {"Sửa mục tiêu", "Target changed"},
	"target.revise":     {"Điều chỉnh mục tiêu", "Target revised"},
	"unit.create":       {"Thêm đơn vị", "Unit added"},
	"unit.update":       {"Sửa đơn vị", "Unit changed"},
	"settings.update":   {"Đổi ngưỡng đánh giá", "Thresholds changed"},
	"profile.save":      {"Lưu mẫu ánh xạ", "Mapping profile saved"},
	"profile.rename":    {"Đổi tên mẫu ánh xạ", "Mapping profile renamed"},
	"profile.delete":    {"Xóa mẫu ánh xạ", "Mapping profile deleted"},
	"report.export":     {"Tải báo cáo", "Report downloaded"},
	"db.backup":         {"Sao lưu cơ sở dữ liệu", "Database backed up"},

	// Set on its own, apart from the unit's other fields.
	"unit.official_code": {"Đặt mã đơn vị hành chính", "Official unit code set"},
}

// actionKindLabels names the families of actions, by the prefix before
// the dot, for an action not listed above and for filters.
var actionKindLabels = map[string][2]string{
	"login":      {"Đăng nhập", "Sign-in"},
	"logout":     {"Đăng xuất", "Sign-out"},
	"user":       {"Người dùng", "Users"},
	"value":      {"Số liệu", "Values"},
	"batch":      {"Lô nhập", "Imports"},
	"catalog":    {"Danh mục", "Catalogue"},
	"planbook":   {"Sổ kế hoạch", "Plan workbook"},
	"plan":       {"Kế hoạch", "Plans"},
	"task_group": {"Nhóm nhiệm vụ", "Task groups"},
	"task":       {"Nhiệm vụ", "Tasks"},
	"indicator":  {"Chỉ tiêu", "Indicators"},
	"target":     {"Mục tiêu", "Targets"},
	"unit":       {"Đơn vị", "Units"},
	"settings":   {"Ngưỡng đánh giá", "Thresholds"},
	"setting":    {"Ngưỡng đánh giá", "Thresholds"},
	"profile":    {"Mẫu ánh xạ", "Mapping profiles"},
	"report":     {"Báo cáo", "Reports"},
	"db":         {"Cơ sở dữ liệu", "Database"},
}

// ActionLabel is an audit action as people read it: "value.retract" is
// "Hoàn tác số liệu". An action this list does not know is named by its
// family ("Số liệu: value.split"), so that nothing is hidden.
func ActionLabel(action, lang string) string {
	if l, ok := actionLabels[action]; ok {
		return pickLabel(l, lang)
	}
	kind, _, _ := strings.Cut(action, ".")
	if l, ok := actionKindLabels[kind]; ok {
		return pickLabel(l, lang) + ": " + action
	}
	return action
}

// ActionKindLabel is a family of audit actions ("value") as people read
// it ("Số liệu").
func ActionKindLabel(kind, lang string) string {
	if l, ok := actionKindLabels[kind]; ok {
		return pickLabel(l, lang)
	}
	return kind
}

// AuditActions lists the actions the audit trail records, for tests and
// documentation.
func AuditActions() []string {
	out := make([]string, 0, len(actionLabels))
	for a := range actionLabels {
		out = append(out, a)
	}
	return out
}

func pickLabel(l [2]string, lang string) string {
	if lang == "en" {
		return l[1]
	}
	return l[0]
}
