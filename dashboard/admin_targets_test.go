package dashboard_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"chitieu/indicators"
)

// A target entered by its text: sent with the comparison and kind left to
// the text, the form comes back with what the parser read, storing
// nothing; sent again as confirmed, the target is stored with the text as
// written, its plan's act and date, and an audit event.
func TestAdminTargetByItsText(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	ctx := context.Background()
	form := url.Values{"plan": {r59}, "indicator": {"SOC-04"}, "period": {"2021-2030"}, "scope": {"old_city"},
		"group": {"6"}, "text": {"dưới 1% (theo chuẩn nghèo đa chiều)"}, "kind": {""}, "op": {""}, "a": {""}, "b": {""}}
	before := e.lastEvent(t)
	status, _, body := e.post(t, e.admin, "/admin/targets?lang=vi", form)
	if status != http.StatusOK || !strings.Contains(body, "Đã đọc loại mục tiêu và cận từ nội dung") {
		t.Fatalf("first send = %d, want the form back to confirm:\n%.2000s", status, body)
	}
	if op, a, kind := selected(body, "op"), fieldValue(body, "a"), selected(body, "kind"); op != "<" || a != "1" || kind != "level" {
		t.Errorf("the form offers op %q, a %q, kind %q; want <, 1, level", op, a, kind)
	}
	if !strings.Contains(body, "Đọc từ nội dung: &lt; 1 %") || fieldValue(body, "text") != form.Get("text") {
		t.Errorf("the parsed bound or the text as written is not shown:\n%.3000s", body)
	}
	if e.lastEvent(t) != before {
		t.Fatal("the first send stored something")
	}

	form.Set("op", "<")
	form.Set("a", "1")
	form.Set("kind", "level")
	status, loc, body := e.post(t, e.admin, "/admin/targets?lang=vi", form)
	if status != http.StatusSeeOther || !strings.HasSuffix(loc, "?done=admin.targets.created") {
		t.Fatalf("confirmed send = %d %q:\n%.2000s", status, loc, body)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(strings.TrimSuffix(loc, "?done=admin.targets.created"), "/admin/targets/"), 10, 64)
	tg, err := e.db.Target(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if tg.Bound != (indicators.Bound{Op: indicators.OpBelow, A: 1}) || tg.Kind != indicators.LevelTarget ||
		tg.Text != form.Get("text") || tg.Act != "59-NQ/TW" || tg.Effective.Format(indicators.DateLayout) != "2020-08-05" ||
		tg.EnteredBy != "quantri" || tg.Group != 6 {
		t.Errorf("stored target = %+v", tg)
	}
	if evs := e.eventsAfter(t, before, "target.create"); len(evs) != 1 || !strings.Contains(evs[0].After, "dưới 1%") {
		t.Errorf("audit = %+v", evs)
	}
	_, page := e.page(t, e.admin, loc)
	if !strings.Contains(page, "Đã thêm mục tiêu.") || !strings.Contains(page, "&lt; 1 %") {
		t.Errorf("the target's page lacks the notice or the bound:\n%.2000s", page)
	}
}

// A text the parser cannot read stays as written: the form asks for the
// bound by hand, and the target can be stored as not quantified.
func TestAdminTargetTextNotRead(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	text := "đạt và vượt dự toán Trung ương giao"
	form := url.Values{"plan": {r59}, "indicator": {"ECO-16"}, "period": {"2021-2025"}, "scope": {"old_city"},
		"group": {"0"}, "text": {text}, "kind": {""}, "op": {""}}
	status, _, body := e.post(t, e.admin, "/admin/targets?lang=vi", form)
	if status != http.StatusBadRequest || !strings.Contains(fieldError(body, "op"), "Không đọc được cận") ||
		fieldValue(body, "text") != text {
		t.Fatalf("unread text = %d, op error %q, text %q", status, fieldError(body, "op"), fieldValue(body, "text"))
	}
	form.Set("op", "none")
	form.Set("kind", "level")
	status, loc, body := e.post(t, e.admin, "/admin/targets?lang=vi", form)
	if status != http.StatusSeeOther {
		t.Fatalf("not quantified = %d:\n%.1500s", status, body)
	}
	id, _ := strconv.ParseInt(strings.Split(strings.TrimPrefix(loc, "/admin/targets/"), "?")[0], 10, 64)
	tg, err := e.db.Target(context.Background(), id)
	if err != nil || tg.Bound.Quantified() || tg.Text != text {
		t.Errorf("stored %+v, %v; want the text as written, no bound", tg, err)
	}
}

// The parser answers the form's script with the bound fitted to the
// indicator, written in the user's notation.
func TestAdminTargetParse(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	cases := []struct {
		text, indicator, lang string
		ok                    bool
		op, a, b, kind        string
	}{
		{"bình quân 7,5 - 8%/năm", "ECO-01", "vi", true, "range", "7,5", "8", "avg_growth"},
		{"bình quân 7,5 - 8%/năm", "ECO-01", "en", true, "range", "7.5", "8", "avg_growth"},
		{"không quá 4%", "SOC-04", "vi", true, "<=", "4", "", "level"},
		{"khoảng 100 nghìn tỷ đồng", "ECO-16", "vi", true, "about", "100000", "", "level"},
		{"76%", "SOC-04", "vi", true, "<=", "76", "", "level"}, // no comparison word: lower is better
		{"đạt và vượt dự toán Trung ương giao", "ECO-16", "vi", false, "", "", "", "level"},
		{"trên 95%", "SOC-07", "vi", true, ">", "95", "", "level"},
		{"giảm 30% so với năm 2020", "SOC-04", "vi", true, "<=", "0,7", "", "relative"},
		{"tỷ lệ hộ nghèo giảm bình quân 1%/năm", "SOC-04", "vi", true, ">=", "1", "", "avg_change"},
		{"gấp 2 lần", "ECO-16", "vi", false, "", "", "", "relative"},
		{"", "ECO-01", "vi", false, "", "", "", ""},
	}
	for _, tc := range cases {
		q := url.Values{"text": {tc.text}, "indicator": {tc.indicator}, "lang": {tc.lang}}
		status, body := e.page(t, e.admin, "/admin/targets/parse?"+q.Encode())
		var got struct {
			OK                      bool
			Op, A, B, Kind, Message string
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil || status != 200 {
			t.Fatalf("parse %q = %d %v: %s", tc.text, status, err, body)
		}
		if got.OK != tc.ok || got.Op != tc.op || got.A != tc.a || got.B != tc.b || got.Kind != tc.kind {
			t.Errorf("parse %q (%s, %s) = %+v; want ok %v %s %s %s %s", tc.text, tc.indicator, tc.lang, got, tc.ok, tc.op, tc.a, tc.b, tc.kind)
		}
		if tc.text != "" && got.Message == "" {
			t.Errorf("parse %q says nothing", tc.text)
		}
	}
}

// A revision never overwrites a target: a revise form without its reason
// comes back with the input kept; a complete one appends a revision, the
// original stays in the history and on the indicator's chart, and the
// audit trail has the target before and after.
func TestAdminReviseKeepsTheOriginal(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	ctx := context.Background()
	ts, err := e.db.Targets(ctx, indicators.TargetFilter{Plan: "98-nq-cp-2021-08-30", Indicator: "ECO-02"})
	if err != nil || len(ts) == 0 {
		t.Fatalf("no 98/NQ-CP target of ECO-02: %v", err)
	}
	orig := ts[0]
	path := "/admin/targets/" + strconv.FormatInt(orig.ID, 10)
	form := url.Values{"text": {"7.000 - 7.500 USD"}, "kind": {"level"}, "op": {"range"}, "a": {"7000"}, "b": {"7500"},
		"act": {"12/NQ-CP"}, "act_date": {"2024-03-01"}, "effective": {"2024-03-01"}, "reason": {""}}
	status, _, body := e.post(t, e.admin, path+"/revise?lang=vi", form)
	if status != http.StatusBadRequest || !strings.Contains(fieldError(body, "reason"), "cần lý do") ||
		fieldValue(body, "act") != "12/NQ-CP" || fieldValue(body, "text") != "7.000 - 7.500 USD" {
		t.Fatalf("revise without a reason = %d, reason error %q, act %q", status, fieldError(body, "reason"), fieldValue(body, "act"))
	}
	if got, _ := e.db.Target(ctx, orig.ID); len(got.Revisions) != len(orig.Revisions) {
		t.Fatal("a refused revision was stored")
	}

	before := e.lastEvent(t)
	form.Set("reason", "điều chỉnh theo Nghị quyết 12/NQ-CP")
	status, loc, body := e.post(t, e.admin, path+"/revise?lang=vi", form)
	if status != http.StatusSeeOther || loc != path+"?done=admin.targets.revised" {
		t.Fatalf("revise = %d %q:\n%.2000s", status, loc, body)
	}
	got, err := e.db.Target(ctx, orig.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Revisions) != 2 || got.Revisions[0].Bound != orig.Bound || got.Revisions[0].Text != orig.Text ||
		got.Revisions[1].Bound != (indicators.Bound{Op: indicators.OpRange, A: 7000, B: 7500}) || got.Revisions[1].Act != "12/NQ-CP" {
		t.Fatalf("revisions = %+v, want the original %v kept and 7000–7500 after it", got.Revisions, orig.Bound)
	}
	evs := e.eventsAfter(t, before, "target.revise")
	if len(evs) != 1 || !strings.Contains(evs[0].Before, orig.Text) || !strings.Contains(evs[0].After, "12/NQ-CP") {
		t.Errorf("audit = %+v", evs)
	}

	_, page := e.page(t, e.admin, path)
	hist := page[strings.Index(page, `id="revisions"`):]
	hist = hist[:strings.Index(hist, "</table>")]
	for _, w := range []string{orig.Text, "bản gốc", "7.000 - 7.500 USD", "12/NQ-CP", "điều chỉnh theo Nghị quyết 12/NQ-CP", "đang áp dụng"} {
		if !strings.Contains(hist, w) {
			t.Errorf("the history lacks %q:\n%s", w, hist)
		}
	}
	// The indicator's chart draws the revision in force and, dashed, the
	// original it replaced.
	m := regexp.MustCompile(`href="(/indicators/ECO-02\?[^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the target's page links no chart")
	}
	chart := html.UnescapeString(m[1])
	_, ip := e.page(t, e.admin, chart)
	for _, w := range []string{"98/NQ-CP: 7.000–7.500", "98/NQ-CP: " + orig.Bound.Format("vi", 2) + " (ban đầu)"} {
		if !strings.Contains(ip, w) {
			t.Errorf("the indicator page %s lacks %q", chart, w)
		}
	}
}

// Filing a target under another task group changes only that, audited.
func TestAdminTargetFiling(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	ts, _ := e.db.Targets(context.Background(), indicators.TargetFilter{Plan: "98-nq-cp-2021-08-30", Indicator: "ECO-02"})
	path := "/admin/targets/" + strconv.FormatInt(ts[0].ID, 10)
	before := e.lastEvent(t)
	status, _, body := e.post(t, e.admin, path, url.Values{"group": {"3"}, "task": {""}})
	if status != http.StatusSeeOther {
		t.Fatalf("filing = %d:\n%.1500s", status, body)
	}
	evs := e.eventsAfter(t, before, "target.update")
	if len(evs) != 1 || jsonField(t, evs[0].Before, "group") != float64(ts[0].Group) || jsonField(t, evs[0].After, "group") != 3.0 {
		t.Errorf("audit = %+v", evs)
	}
	status, _, body = e.post(t, e.admin, path+"?lang=vi", url.Values{"group": {"77"}})
	if status != http.StatusBadRequest || !strings.Contains(fieldError(body, "group"), "không có nhóm nhiệm vụ số 77") {
		t.Errorf("a group that does not exist = %d, %q", status, fieldError(body, "group"))
	}
}
