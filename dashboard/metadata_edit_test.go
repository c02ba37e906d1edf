package dashboard

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"chitieu/indicators"
)

// An admin writes an indicator's metadata sheet on the admin indicator
// page; the store keeps it (trimmed, audited once, unchanged by the same
// sheet sent again); the indicator page shows it under "Siêu dữ liệu",
// escaped; the API answer for the indicator carries it; a field too long
// is refused with the input kept and nothing stored.
func TestIndicatorMetadataRoundTrip(t *testing.T) {
	t.Parallel()
	e := newTokenEnv(t)
	ctx := context.Background()
	inds, err := e.s.store.Indicators(ctx)
	if err != nil || len(inds) == 0 {
		t.Fatalf("indicators: %v", err)
	}
	code := inds[0].Code
	admin, csrf := sessionFor(t, e.s, "admin")

	page := e.do(t, "GET", "/admin/indicators/"+code, nil, nil, admin)
	if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), `id="metadata-form"`) {
		t.Fatalf("admin indicator page = %d, without the metadata form", page.Code)
	}
	form := url.Values{"csrf_token": {csrf},
		"definition":     {"  Tổng giá trị sản phẩm vật chất và dịch vụ cuối cùng <script>alert(1)</script>  "},
		"method":         {"GRDP = tổng giá trị tăng thêm\r\n+ thuế sản phẩm"},
		"unit":           {"tỷ đồng, giá so sánh 2010"},
		"source":         {"Cục Thống kê thành phố Cần Thơ"},
		"frequency":      {"Hằng năm; ước 6 tháng"},
		"disaggregation": {"Khu vực kinh tế; loại hình kinh tế"},
		"comparability":  {"Từ 2025 tính cho thành phố sau hợp nhất"},
	}
	rec := e.do(t, "POST", "/admin/indicators/"+code+"/metadata", form, nil, admin)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("save metadata = %d:\n%.800s", rec.Code, rec.Body)
	}
	m, err := e.s.metadata.IndicatorMetadata(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	wantDef := "Tổng giá trị sản phẩm vật chất và dịch vụ cuối cùng <script>alert(1)</script>"
	if m.Definition != wantDef || m.Method != "GRDP = tổng giá trị tăng thêm\n+ thuế sản phẩm" ||
		m.Source != "Cục Thống kê thành phố Cần Thơ" || m.Comparability != "Từ 2025 tính cho thành phố sau hợp nhất" ||
		m.UpdatedBy != "admin" || m.UpdatedAt.IsZero() {
		t.Errorf("stored sheet = %+v", m)
	}
	// The same sheet again changes nothing and writes no event.
	e.do(t, "POST", "/admin/indicators/"+code+"/metadata", form, nil, admin)
	evs, _ := e.s.audit.AuditEvents(ctx, indicators.AuditFilter{Action: "indicator.metadata", Object: "indicator:" + code})
	if len(evs) != 1 {
		t.Errorf("%d metadata events, want 1 (the same sheet again is no change)", len(evs))
	}

	leader, _ := sessionFor(t, e.s, "leader")
	for _, lang := range []string{"vi", "en"} {
		pg := e.do(t, "GET", "/indicators/"+code+"?lang="+lang, nil, nil, leader)
		body := pg.Body.String()
		title := map[string]string{"vi": "Siêu dữ liệu", "en": "Metadata"}[lang]
		if pg.Code != http.StatusOK || !strings.Contains(body, `<h2 id="h-metadata">`+title+`</h2>`) {
			t.Errorf("indicator page (%s) = %d, without the %q section", lang, pg.Code, title)
		}
		if strings.Contains(body, "<script>alert(1)") || !strings.Contains(body, html.EscapeString(wantDef)) {
			t.Errorf("indicator page (%s) does not show the definition escaped", lang)
		}
		if !strings.Contains(body, "Cục Thống kê thành phố Cần Thơ") {
			t.Errorf("indicator page (%s) lacks the source agency", lang)
		}
	}

	api := e.do(t, "GET", "/api/v1/indicators/"+code, nil, nil, leader)
	var got struct {
		Metadata struct {
			Definition, Method, Source, Disaggregation string
			UpdatedAt                                  string `json:"updated_at"`
		}
	}
	if err := json.Unmarshal(api.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Metadata.Definition != wantDef || got.Metadata.Disaggregation != "Khu vực kinh tế; loại hình kinh tế" ||
		got.Metadata.UpdatedAt == "" {
		t.Errorf("API metadata = %+v", got.Metadata)
	}

	// Too long: refused on the same page, the typed text kept, the
	// stored sheet unchanged.
	long := strings.Repeat("x", indicators.MaxMetadataText+1)
	bad := url.Values{"csrf_token": {csrf}, "definition": {"mới"}, "method": {long}}
	rec = e.do(t, "POST", "/admin/indicators/"+code+"/metadata", bad, nil, admin)
	if rec.Code != http.StatusBadRequest && rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("too long = %d, want refused", rec.Code)
	}
	if !strings.Contains(rec.Body.String(), ">mới</textarea>") {
		t.Error("the refused form does not keep the typed definition")
	}
	if again, _ := e.s.metadata.IndicatorMetadata(ctx, code); again.Definition != wantDef {
		t.Errorf("a refused sheet changed the stored one: %q", again.Definition)
	}
	if _, err := e.s.metadata.IndicatorMetadata(ctx, "ZZZ-99"); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Errorf("metadata of an unknown indicator: err = %v, want not found", err)
	}
}
