package dashboard

import "chitieu/indicators"

// authText holds every string of the login, user and audit pages, in
// Vietnamese and English, in one place. Templates look them up by key with
// {{.T "key"}}; a test checks that every key used exists in both languages.
var authText = map[string][2]string{
	"nav.skip":         {"Bỏ qua, tới nội dung chính", "Skip to main content"},
	"nav.label":        {"Điều hướng", "Navigation"},
	"nav.users":        {"Người dùng", "Users"},
	"nav.audit":        {"Nhật ký kiểm toán", "Audit trail"},
	"nav.signed_in_as": {"Đăng nhập với tên", "Signed in as"},
	"nav.logout":       {"Đăng xuất", "Sign out"},

	"login.title":      {"Đăng nhập", "Sign in"},
	"login.name":       {"Tên đăng nhập", "Login name"},
	"login.password":   {"Mật khẩu", "Password"},
	"login.submit":     {"Đăng nhập", "Sign in"},
	"login.help":       {"Quên mật khẩu? Hãy liên hệ quản trị viên để được đặt lại.", "Forgot your password? Ask an administrator to reset it."},
	"login.failed":     {"Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong login name or password."},
	"login.missing":    {"Hãy nhập tên đăng nhập và mật khẩu.", "Enter your login name and password."},
	"login.throttled":  {"Có quá nhiều lần đăng nhập sai. Hãy thử lại sau ít phút (tối đa một giờ), hoặc từ máy bạn đã đăng nhập trước đây.", "Too many failed sign-ins. Try again in a few minutes (an hour at most), or from a computer you signed in from before."},
	"login.busy":       {"Máy chủ đang bận, hãy thử lại sau giây lát.", "The server is busy; try again in a moment."},
	"login.logged_out": {"Bạn đã đăng xuất.", "You have signed out."},

	"role.admin":   {"Quản trị", "Administrator"},
	"role.planner": {"Chuyên viên kế hoạch", "Planner"},
	"role.leader":  {"Lãnh đạo", "Leader"},
	"role.auditor": {"Thanh tra, kiểm toán", "Auditor"},

	"users.title":      {"Người dùng", "Users"},
	"users.caption":    {"Tài khoản, vai trò và phạm vi", "Accounts, roles and scopes"},
	"users.add":        {"Thêm người dùng", "Add a user"},
	"users.add_submit": {"Thêm người dùng", "Add user"},
	"users.back":       {"Về danh sách người dùng", "Back to users"},
	"users.added":      {"Đã thêm người dùng.", "The user was added."},

	"user.title":         {"Người dùng", "User"},
	"user.name":          {"Tên đăng nhập", "Login name"},
	"user.name_help":     {"2–64 ký tự a–z, 0–9, dấu chấm, gạch dưới, gạch nối; không dấu, không khoảng trắng.", "2–64 of a–z, 0–9, dot, underscore, hyphen; no spaces."},
	"user.full_name":     {"Họ và tên", "Full name"},
	"user.role":          {"Vai trò", "Role"},
	"user.scope":         {"Phạm vi", "Scope"},
	"user.scope_legend":  {"Phạm vi của chuyên viên kế hoạch (để trống: không giới hạn)", "Scope of a planner (empty: no limit)"},
	"user.units":         {"Mã đơn vị", "Unit codes"},
	"user.units_help":    {"Cách nhau bằng dấu phẩy, ví dụ: CT, 916", "Separated by commas, e.g. CT, 916"},
	"user.groups":        {"Số nhóm nhiệm vụ", "Task group numbers"},
	"user.groups_help":   {"Cách nhau bằng dấu phẩy, ví dụ: 1, 3", "Separated by commas, e.g. 1, 3"},
	"user.state":         {"Trạng thái", "State"},
	"user.enabled":       {"Đang hoạt động", "Enabled"},
	"user.disabled":      {"Đã khóa", "Disabled"},
	"user.created":       {"Tạo lúc, bởi", "Created at, by"},
	"user.password_at":   {"Đổi mật khẩu lần cuối", "Password last set"},
	"user.password":      {"Mật khẩu ban đầu", "Initial password"},
	"user.password_help": {"Từ 8 đến 1.024 ký tự; câu dài dễ nhớ là mật khẩu tốt.", "8 to 1,024 characters; a long sentence makes a good password."},
	"user.edit":          {"Họ tên, vai trò và phạm vi", "Name, role and scope"},
	"user.save":          {"Lưu thay đổi", "Save changes"},
	"user.saved":         {"Đã lưu thay đổi.", "The changes were saved."},
	"user.reset":         {"Đặt lại mật khẩu", "Reset the password"},
	"user.new_password":  {"Mật khẩu mới", "New password"},
	"user.reset_help":    {"Mọi phiên đăng nhập khác của người dùng này sẽ kết thúc.", "Every other session of this user ends."},
	"user.reset_submit":  {"Đặt mật khẩu mới", "Set the new password"},
	"user.password_set":  {"Đã đặt mật khẩu mới.", "The new password was set."},
	"user.disable":       {"Khóa tài khoản", "Disable the account"},
	"user.disable_help":  {"Người dùng bị khóa không đăng nhập được; các phiên của họ kết thúc ngay. Lịch sử được giữ nguyên.", "A disabled user cannot sign in; their sessions end at once. Their history stays."},
	"user.enable":        {"Mở khóa tài khoản", "Enable the account"},
	"user.disabled_now":  {"Đã khóa tài khoản.", "The account was disabled."},
	"user.enabled_now":   {"Đã mở khóa tài khoản.", "The account was enabled."},
	"user.history":       {"Lịch sử thay đổi của người dùng này", "History of this user"},
	"user.not_self":      {"Bạn không thể tự khóa hoặc tự đổi vai trò của mình; hãy nhờ một quản trị viên khác.", "You cannot disable yourself or change your own role; ask another administrator."},

	"audit.title":        {"Nhật ký kiểm toán", "Audit trail"},
	"audit.filter":       {"Lọc sự kiện", "Filter events"},
	"audit.user":         {"Người thực hiện", "User"},
	"audit.object":       {"Đối tượng", "Object"},
	"audit.object_help":  {"Một phần của đối tượng, ví dụ: user:hoa, value:, ECO-01", "Part of the object, e.g. user:hoa, value:, ECO-01"},
	"audit.kind":         {"Loại sự kiện", "Kind of event"},
	"audit.kind_all":     {"Tất cả", "All"},
	"audit.from":         {"Từ ngày", "From"},
	"audit.to":           {"Đến ngày", "To"},
	"audit.apply":        {"Lọc", "Filter"},
	"audit.clear":        {"Bỏ lọc", "Clear"},
	"audit.verify":       {"Kiểm tra chuỗi băm", "Verify the hash chain"},
	"audit.verify_help":  {"Phát hiện sự kiện bị sửa, bị xóa hoặc bị đổi thứ tự.", "Finds events that were edited, removed or reordered."},
	"audit.caption":      {"Sự kiện, mới nhất trước (giờ UTC)", "Events, newest first (UTC)"},
	"audit.at":           {"Thời điểm (UTC)", "When (UTC)"},
	"audit.addr":         {"Địa chỉ", "Address"},
	"audit.action":       {"Hành động", "Action"},
	"audit.open":         {"Xem sự kiện", "Open event"},
	"audit.none":         {"Không có sự kiện nào khớp.", "No event matches."},
	"audit.older":        {"Các sự kiện cũ hơn", "Older events"},
	"audit.event":        {"Sự kiện nhật ký", "Audit event"},
	"audit.vietnam_time": {"giờ Việt Nam", "Vietnam time"},
	"audit.batch":        {"Lô nhập", "Import batch"},
	"audit.file_hash":    {"Mã băm tệp (SHA-256)", "File hash (SHA-256)"},
	"audit.prev_hash":    {"Mã băm sự kiện trước", "Hash of the event before"},
	"audit.hash":         {"Mã băm sự kiện", "Hash of the event"},
	"audit.before":       {"Trước", "Before"},
	"audit.after":        {"Sau", "After"},
	"audit.empty_before": {"(không có: đây là lần tạo)", "(none: a creation)"},
	"audit.empty_after":  {"(không có)", "(none)"},
	"audit.previous":     {"Sự kiện trước", "Previous event"},
	"audit.next":         {"Sự kiện sau", "Next event"},
	"audit.back":         {"Về nhật ký kiểm toán", "Back to the audit trail"},

	"verify.title":     {"Kiểm tra chuỗi nhật ký", "Audit chain check"},
	"verify.ok":        {"Chuỗi nhật ký nguyên vẹn: không sự kiện nào bị sửa, xóa hay đổi thứ tự.", "The chain holds: no event was edited, removed or reordered."},
	"verify.broken":    {"Nhật ký đã bị thay đổi. Sự kiện đầu tiên bị phá vỡ:", "The trail was tampered with. First broken event:"},
	"verify.events":    {"Số sự kiện", "Events"},
	"verify.last":      {"Sự kiện cuối", "Last event"},
	"verify.head":      {"Mã băm cuối chuỗi", "Hash at the end of the chain"},
	"verify.at":        {"Kiểm tra lúc (UTC)", "Checked at (UTC)"},
	"verify.head_help": {"Hãy ghi lại số sự kiện và mã băm cuối chuỗi ở nơi khác (biên bản, email): lần kiểm tra sau sẽ phát hiện cả việc xóa các sự kiện cuối.", "Write the event count and the final hash down elsewhere (minutes, an email): a later check then also finds events cut from the end."},
}

// tr returns the text of key in lang (vi or en); an unknown key shows as
// itself, which the template test catches.
func tr(lang, key string) string {
	t, ok := authText[key]
	if !ok {
		return key
	}
	if lang == "en" {
		return t[1]
	}
	return t[0]
}

// roleName is a role as people read it.
func roleName(lang string, r indicators.Role) string {
	if _, ok := authText["role."+string(r)]; ok {
		return tr(lang, "role."+string(r))
	}
	return string(r)
}
