package dashboard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"chitieu/dashboard"
	"chitieu/dashboard/logintest"
	"chitieu/indicators"
)

// apiAnswer is what the tests read of a write-API answer.
type apiAnswer struct {
	Batch    *int64 `json:"batch"`
	State    string `json:"state"`
	Input    string `json:"input"`
	New      int    `json:"new"`
	Changed  int    `json:"changed"`
	Rejected int    `json:"rejected"`
	Changes  []struct {
		Indicator, Unit, Period, Type, At string
	} `json:"changes"`
	Errors []struct {
		At, Text, Reason string
	} `json:"errors"`
	Plausibility []struct{ At string } `json:"plausibility"`
	Implausible  int                   `json:"implausible"`
	Commit       string                `json:"commit"`
	Job          string                `json:"job"`
	Error        struct {
		Code, Field, Message string
	} `json:"error"`
}

// apiSend posts body to path with a token (none when ""), an optional
// Idempotency-Key, and returns the status, the raw answer and the answer
// read.
func apiSend(t *testing.T, base, path, token, key, contentType string, body io.Reader) (int, string, apiAnswer, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw := read(t, res)
	var a apiAnswer
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal([]byte(raw), &a); err != nil {
			t.Fatalf("POST %s: answer is not JSON: %v\n%.500s", path, err, raw)
		}
	}
	return res.StatusCode, raw, a, res.Header
}

func apiJSON(t *testing.T, base, path, token, key, body string) (int, string, apiAnswer, http.Header) {
	t.Helper()
	return apiSend(t, base, path, token, key, "application/json", strings.NewReader(body))
}

// apiWorkbook posts a workbook in a multipart form.
func apiWorkbook(t *testing.T, base, token, key string, file []byte, fields map[string]string) (int, string, apiAnswer, http.Header) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "bieu.xlsx")
	fw.Write(file)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	mw.Close()
	return apiSend(t, base, "/api/v1/imports", token, key, mw.FormDataContentType(), &body)
}

// twoValues changes ECO-01 2021 from the catalogue's −2,79 to −3 and adds
// an estimate of 7,3 for 2024, as the filled template does.
const twoValues = `{"unit": "CT-CU", "values": [
	{"indicator": "ECO-01", "period": "2021", "type": "official", "value": -3, "note": "số điều chỉnh"},
	{"indicator": "ECO-01", "period": "2024", "type": "estimate", "value": 7.3}]}`

func auditCount(t *testing.T, env *importEnv, action string, batch int64) int {
	t.Helper()
	evs, err := env.db.AuditEvents(context.Background(), indicators.AuditFilter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ev := range evs {
		if ev.Action == action && ev.Batch == batch {
			n++
		}
	}
	return n
}

// A program sends values as JSON with an import token: the answer is the
// preview (changes named by JSON pointer) of a staged batch, audited as an
// upload's preview; the same request with the same Idempotency-Key gets
// the same answer and makes no second batch; the key with other values is
// refused; the commit stores the values and is audited as an upload's
// commit, and its retry with its key answers the same again.
func TestAPIImportPreviewCommitIdempotent(t *testing.T) {
	t.Parallel()
	env := newImportEnv(t, dashboard.Config{})
	base := env.ts.URL
	tok := apiToken(t, env.db, "hoa", "thống kê", "D", indicators.ScopeImport)

	status, raw, a, h := apiJSON(t, base, "/api/v1/imports", tok, "lan-1", twoValues)
	if status != http.StatusCreated || a.State != "previewed" || a.Batch == nil || a.Input != "json" || a.New != 1 || a.Changed != 1 ||
		len(a.Changes) != 2 || a.Changes[0].At != "/values/0/value" || a.Changes[1].At != "/values/1/value" {
		t.Fatalf("preview = %d:\n%s", status, raw)
	}
	id := *a.Batch
	if want := fmt.Sprintf("/api/v1/imports/%d/commit", id); a.Commit != want || h.Get("Location") != want {
		t.Errorf("commit link %q, Location %q, want %q", a.Commit, h.Get("Location"), want)
	}
	if v, _ := env.inForce(t, "ECO-01/CT-CU/2021/official"); v != -2.79 {
		t.Errorf("ECO-01 2021 = %v after a preview, want the catalogue's −2,79", v)
	}
	if n := auditCount(t, env, "batch.preview", id); n != 1 {
		t.Errorf("%d batch.preview events for batch %d, want 1", n, id)
	}

	// The same request again: the same answer, replayed, and no batch.
	status2, raw2, _, h2 := apiJSON(t, base, "/api/v1/imports", tok, "lan-1", twoValues)
	if status2 != status || raw2 != raw || h2.Get("Idempotent-Replayed") != "true" {
		t.Errorf("retry = %d %q:\n%s\nwant the first answer:\n%s", status2, h2.Get("Idempotent-Replayed"), raw2, raw)
	}
	if n := len(env.batches(t)); n != 1 {
		t.Errorf("%d batches after a retry, want 1", n)
	}
	// The key with other values is refused, and stages nothing.
	status, raw, a, _ = apiJSON(t, base, "/api/v1/imports", tok, "lan-1", strings.Replace(twoValues, "7.3", "7.4", 1))
	if status != http.StatusConflict || a.Error.Field != "Idempotency-Key" || len(env.batches(t)) != 1 {
		t.Errorf("the key with other values = %d:\n%s", status, raw)
	}

	path := fmt.Sprintf("/api/v1/imports/%d/commit", id)
	status, raw, a, _ = apiJSON(t, base, path, tok, "ghi-1", "")
	if status != http.StatusOK || a.State != "committed" || a.Batch == nil || *a.Batch != id {
		t.Fatalf("commit = %d:\n%s", status, raw)
	}
	if v, _ := env.inForce(t, "ECO-01/CT-CU/2021/official"); v != -3 {
		t.Errorf("ECO-01 2021 = %v after the commit, want −3", v)
	}
	if v, ok := env.inForce(t, "ECO-01/CT-CU/2024/estimate"); !ok || v != 7.3 {
		t.Errorf("ECO-01 2024 estimate = %v, %v after the commit, want 7,3", v, ok)
	}
	if n := auditCount(t, env, "batch.commit", id); n != 1 {
		t.Errorf("%d batch.commit events for batch %d, want 1", n, id)
	}
	status2, raw2, _, h2 = apiJSON(t, base, path, tok, "ghi-1", "")
	if status2 != http.StatusOK || raw2 != raw || h2.Get("Idempotent-Replayed") != "true" {
		t.Errorf("commit retried = %d:\n%s", status2, raw2)
	}
	if n := auditCount(t, env, "batch.commit", id); n != 1 {
		t.Errorf("%d batch.commit events after a retried commit, want 1", n)
	}
	// Without the key, a second commit is refused: the batch is no longer
	// waiting.
	if status, raw, _, _ = apiJSON(t, base, path, tok, "", ""); status != http.StatusConflict {
		t.Errorf("second commit without a key = %d:\n%s", status, raw)
	}
	// The same values again change nothing and stage no batch.
	status, raw, a, _ = apiJSON(t, base, "/api/v1/imports", tok, "", twoValues)
	if status != http.StatusOK || a.State != "unchanged" || a.Batch != nil || len(env.batches(t)) != 1 {
		t.Errorf("the same values again = %d:\n%s", status, raw)
	}
	env.noCopiesLeft(t)
}

// Bad JSON answers 400 with the JSON pointer of the fault; a value the
// checks refuse answers 422 with its pointer and stores nothing; a
// planner's token outside the planner's scope is refused at the row.
func TestAPIImportRefusals(t *testing.T) {
	t.Parallel()
	env := newImportEnv(t, dashboard.Config{})
	base := env.ts.URL
	hoa := apiToken(t, env.db, "hoa", "nhập", "E", indicators.ScopeImport)
	lan := apiToken(t, env.db, "lan", "nhập", "F", indicators.ScopeImport)
	read := apiToken(t, env.db, "hoa", "đọc", "G", indicators.ScopeRead)
	logintest.AddUser(t, env.db, "lanh.dao", indicators.Leader, "", nil, nil)
	leader := apiToken(t, env.db, "lanh.dao", "nhập", "H", indicators.ScopeImport)

	for _, tc := range []struct{ body, at string }{
		{`{"values": [{"indicator": "ECO-01", "period": "2024", "type": "official", "value": "7,5"}]}`, "/values/0/value"},
		{`{"values": [{"indicator": "ECO-01", "period": "2024"}, {"indicator": "ECO-01", "perod": "2024"}]}`, "/values/1/perod"},
		{`{"values": [{"indicator": "ECO-01",, }]}`, "/values/0"},
	} {
		status, raw, a, _ := apiJSON(t, base, "/api/v1/imports", hoa, "", tc.body)
		if status != http.StatusBadRequest || a.Error.Field != tc.at || !strings.Contains(a.Error.Message, tc.at) {
			t.Errorf("%s = %d, want 400 at %s:\n%s", tc.body, status, tc.at, raw)
		}
	}
	status, raw, a, _ := apiJSON(t, base, "/api/v1/imports", hoa, "", `{"unit": "CT-CU", "values": [
		{"indicator": "ECO-01", "period": "2024", "type": "official", "value": 7.1},
		{"indicator": "KHONG-CO", "period": "2024", "type": "official", "value": 1}]}`)
	if status != http.StatusUnprocessableEntity || a.State != "rejected" || a.Batch != nil || len(a.Errors) != 1 ||
		a.Errors[0].At != "/values/1/indicator" {
		t.Errorf("an unknown indicator = %d:\n%s", status, raw)
	}
	// lan plans for unit 916 only: CT-CU is refused at the row.
	status, raw, a, _ = apiJSON(t, base, "/api/v1/imports", lan, "", twoValues)
	if status != http.StatusUnprocessableEntity || a.Rejected != 2 || len(a.Errors) != 2 || a.Errors[0].At != "/values/0/value" ||
		!strings.Contains(a.Errors[0].Reason, "ngoài phạm vi được giao") {
		t.Errorf("lan's token outside her scope = %d:\n%s", status, raw)
	}
	if n := len(env.batches(t)); n != 0 {
		t.Errorf("refused values staged %d batches", n)
	}
	for _, tc := range []struct {
		name, token string
		want        int
	}{{"no token", "", http.StatusUnauthorized}, {"a read token", read, http.StatusForbidden}, {"a leader's token", leader, http.StatusForbidden}} {
		if status, raw, _, _ := apiJSON(t, base, "/api/v1/imports", tc.token, "", twoValues); status != tc.want {
			t.Errorf("%s = %d, want %d:\n%s", tc.name, status, tc.want, raw)
		}
	}
	if status, raw, _, _ := apiSend(t, base, "/api/v1/imports", hoa, "", "text/csv", strings.NewReader("a,b")); status != http.StatusBadRequest {
		t.Errorf("a CSV body = %d:\n%s", status, raw)
	}
	if status, raw, _, _ := apiJSON(t, base, "/api/v1/imports", hoa, "có dấu cách", twoValues); status != http.StatusBadRequest {
		t.Errorf("a key with spaces = %d:\n%s", status, raw)
	}
	// Too large: a body past the limit, sent without a declared length.
	big := io.MultiReader(strings.NewReader(`{"values": [`), strings.NewReader(strings.Repeat(" ", 17<<20)), strings.NewReader(`]}`))
	if status, raw, a, _ := apiSend(t, base, "/api/v1/imports", hoa, "", "application/json", io.NopCloser(big)); status != http.StatusRequestEntityTooLarge {
		t.Errorf("17 MB of JSON = %d %s:\n%.300s", status, a.Error.Code, raw)
	}
	if n := len(env.batches(t)); n != 0 {
		t.Errorf("refused requests staged %d batches", n)
	}
	env.noCopiesLeft(t)
}

// A workbook sent in a multipart form is previewed as an upload, its
// cells named as sheet!cell; plausibility warnings need a confirming note
// at the commit, which the audit trail keeps.
func TestAPIImportWorkbookAndPlausibility(t *testing.T) {
	t.Parallel()
	env := newImportEnv(t, dashboard.Config{})
	base := env.ts.URL
	tok := apiToken(t, env.db, "hoa", "nhập", "J", indicators.ScopeImport)
	file, cells := filledTemplate(t, env.db)
	status, raw, a, _ := apiWorkbook(t, base, tok, "", file, nil)
	if status != http.StatusCreated || a.Input != "xlsx" || a.Batch == nil || len(a.Changes) != 3 {
		t.Fatalf("workbook = %d:\n%s", status, raw)
	}
	found := false
	for _, c := range a.Changes {
		found = found || c.At == "Số liệu!"+cells["ECO-01/CT-CU/2021/official"]
	}
	if !found {
		t.Errorf("no change at Số liệu!%s:\n%s", cells["ECO-01/CT-CU/2021/official"], raw)
	}
	// A typing slip: 1.234.567 for a growth rate.
	status, raw, a, _ = apiJSON(t, base, "/api/v1/imports", tok, "", `{"unit": "CT-CU", "values": [
		{"indicator": "ECO-01", "period": "2023", "type": "official", "value": 1234567}]}`)
	if status != http.StatusCreated || a.Implausible == 0 || a.Plausibility[0].At != "/values/0/value" {
		t.Fatalf("an implausible value = %d:\n%s", status, raw)
	}
	path := fmt.Sprintf("/api/v1/imports/%d/commit", *a.Batch)
	status, raw, a, _ = apiJSON(t, base, path, tok, "", "")
	if status != http.StatusBadRequest || a.Error.Field != "confirm_note" {
		t.Errorf("commit without a note = %d:\n%s", status, raw)
	}
	if status, raw, a, _ = apiJSON(t, base, path, tok, "", `{"confirm_nte": "x"}`); status != http.StatusBadRequest || a.Error.Field != "/confirm_nte" {
		t.Errorf("commit with a misspelt field = %d:\n%s", status, raw)
	}
	status, raw, a, _ = apiJSON(t, base, path, tok, "", `{"confirm_note": "đã kiểm tra với Cục Thống kê"}`)
	if status != http.StatusOK || a.State != "committed" {
		t.Fatalf("commit with a note = %d:\n%s", status, raw)
	}
	evs, _ := env.db.AuditEvents(context.Background(), indicators.AuditFilter{Action: "batch.commit"})
	kept := false
	for _, ev := range evs {
		kept = kept || strings.Contains(ev.After, "đã kiểm tra với Cục Thống kê")
	}
	if !kept {
		t.Errorf("the audit trail does not keep the confirming note: %+v", evs)
	}
}

// More than the rate a minute is refused with 429 and Retry-After.
func TestAPIImportRateLimit(t *testing.T) {
	t.Parallel()
	env := newImportEnv(t, dashboard.Config{})
	tok := apiToken(t, env.db, "hoa", "nhập", "K", indicators.ScopeImport)
	var status int
	var h http.Header
	n := 0
	for n < 100 {
		n++
		if status, _, _, h = apiJSON(t, env.ts.URL, "/api/v1/imports", tok, "", "{"); status == http.StatusTooManyRequests {
			break
		}
	}
	if status != http.StatusTooManyRequests || n != 61 || h.Get("Retry-After") == "" {
		t.Errorf("request %d = %d (Retry-After %q), want the 61st refused with 429", n, status, h.Get("Retry-After"))
	}
}

// Requests sent at once with one Idempotency-Key make one batch: each
// gets the first request's answer, or 409 while it still runs.
func TestAPIImportIdempotentAtOnce(t *testing.T) {
	t.Parallel()
	env := newImportEnv(t, dashboard.Config{})
	tok := apiToken(t, env.db, "hoa", "nhập", "L", indicators.ScopeImport)
	const n = 4
	type answer struct {
		status int
		raw    string
	}
	answers := make(chan answer, n)
	for i := 0; i < n; i++ {
		go func() {
			req, _ := http.NewRequest(http.MethodPost, env.ts.URL+"/api/v1/imports", strings.NewReader(twoValues))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Idempotency-Key", "cung-luc")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				answers <- answer{status: -1, raw: err.Error()}
				return
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			answers <- answer{res.StatusCode, string(b)}
		}()
	}
	created := ""
	for i := 0; i < n; i++ {
		a := <-answers
		switch {
		case a.status == http.StatusCreated && (created == "" || created == a.raw):
			created = a.raw
		case a.status == http.StatusConflict:
		default:
			t.Errorf("answer %d: %.300s (the first 201: %.100s)", a.status, a.raw, created)
		}
	}
	if created == "" {
		t.Error("no request staged the batch")
	}
	if got := len(env.batches(t)); got != 1 {
		t.Errorf("%d requests at once with one key made %d batches, want 1", n, got)
	}
}
