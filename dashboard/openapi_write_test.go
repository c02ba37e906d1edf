package dashboard_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"chitieu/dashboard/logintest"
	"chitieu/indicators"
)

// sendAndCommit drives the write API through every status the OpenAPI
// document gives it, with run, which checks each answer against the
// document. webBatch is a previewed batch of hoa's, large enough to be
// committed as a job.
func sendAndCommit(t *testing.T, env *importEnv, base string, webBatch int64, run func(call) []byte) {
	t.Helper()
	nobody := logintest.Client(t)
	imp := apiToken(t, env.db, "hoa", "gửi", "M", indicators.ScopeImport)
	readOnly := apiToken(t, env.db, "hoa", "chỉ đọc", "N", indicators.ScopeRead)
	admin := apiToken(t, env.db, "quan.tri", "gửi", "P", indicators.ScopeImport)
	const js = "application/json"
	send := func(token, key, body string, want int) []byte {
		return run(call{method: http.MethodPost, path: "/api/v1/imports", client: nobody, token: token, key: key, ctype: js,
			body: strings.NewReader(body), want: want})
	}
	commit := func(id int64, token, body string, want int) []byte {
		return run(call{method: http.MethodPost, path: fmt.Sprintf("/api/v1/imports/%d/commit", id), client: nobody, token: token,
			ctype: js, body: strings.NewReader(body), want: want})
	}
	good := `{"unit": "CT-CU", "values": [{"indicator": "ECO-01", "period": "2024", "type": "estimate", "value": 7.2}]}`
	var staged struct{ Batch int64 }
	if err := json.Unmarshal(send(imp, "k1", good, http.StatusCreated), &staged); err != nil || staged.Batch == 0 {
		t.Fatalf("no batch staged: %v", err)
	}
	send(imp, "k1", strings.Replace(good, "7.2", "7.25", 1), http.StatusConflict)
	send(imp, "", `{"unit": "CT-CU", "values": [{"indicator": "ECO-01", "period": "2021", "type": "official", "value": -2.79}]}`, http.StatusOK)
	send(imp, "", `{"values": [{"indicator": "ECO-01", "period": 2024}]}`, http.StatusBadRequest)
	send(imp, "", `{"unit": "CT-CU", "values": [{"indicator": "KHONG-CO", "period": "2024", "type": "official", "value": 1}]}`, http.StatusUnprocessableEntity)
	send("", "", good, http.StatusUnauthorized)
	send(readOnly, "", good, http.StatusForbidden)
	big := io.MultiReader(strings.NewReader(`{"values": [`), strings.NewReader(strings.Repeat(" ", 17<<20)), strings.NewReader(`]}`))
	run(call{method: http.MethodPost, path: "/api/v1/imports", client: nobody, token: imp, ctype: js, body: io.NopCloser(big),
		want: http.StatusRequestEntityTooLarge})
	// A workbook over the background size is read as a job.
	file, _ := filledTemplate(t, env.db)
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	fw, _ := mw.CreateFormFile("file", "bieu.xlsx")
	fw.Write(file)
	mw.Close()
	run(call{method: http.MethodPost, path: "/api/v1/imports", client: nobody, token: imp, ctype: mw.FormDataContentType(),
		body: &form, want: http.StatusAccepted})

	commit(staged.Batch, "", "", http.StatusUnauthorized)
	commit(staged.Batch, readOnly, "", http.StatusForbidden)
	commit(staged.Batch, imp, `{"confirm_note": 1}`, http.StatusBadRequest)
	commit(999999, imp, "", http.StatusNotFound)
	commit(staged.Batch, imp, `{"confirm_note": "`+strings.Repeat("x", 2<<20)+`"}`, http.StatusRequestEntityTooLarge)
	commit(staged.Batch, imp, "", http.StatusOK)
	commit(staged.Batch, imp, "", http.StatusConflict)
	commit(webBatch, imp, "", http.StatusAccepted)

	// Past the rate, both routes answer 429.
	for i := 0; i < 60; i++ {
		send(admin, "", "{", http.StatusBadRequest)
	}
	send(admin, "", good, http.StatusTooManyRequests)
	commit(staged.Batch, admin, "", http.StatusTooManyRequests)
}
