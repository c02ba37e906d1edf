package indicators

import "strings"

// The vocabulary: the one Vietnamese and one English label of each code
// that people read — here the actions of the audit trail. Pages, reports
// and the command line show these labels, never the codes.

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
	"report.export":     {"Tải báo cáo", "Report downloaded"},
	"db.backup":         {"Sao lưu cơ sở dữ liệu", "Database backed up"},
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
