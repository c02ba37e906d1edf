package dashboard_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"chitieu/dashboard"
	"chitieu/dashboard/logintest"
	"chitieu/indicators"
	"chitieu/indicators/catalog"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// call is one request of the OpenAPI test: GET unless method says
// otherwise.
type call struct {
	method, path string
	client       *http.Client
	token, key   string
	ctype        string
	body         io.Reader
	want         int
}

// apiToken stores a token for user straight in the store and returns its
// secret.
func apiToken(t *testing.T, st indicators.TokenStore, user, name, fill string, scopes ...string) string {
	t.Helper()
	secret := "ctk_" + strings.Repeat(fill, 43)
	sum := sha256.Sum256([]byte(secret))
	now := time.Now().UTC()
	if err := st.CreateToken(context.Background(), &indicators.APIToken{User: user, Name: name, Prefix: secret[:10],
		Hash: hex.EncodeToString(sum[:]), Scopes: scopes, CreatedAt: now, ExpiresAt: now.Add(24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return secret
}

// The OpenAPI document served at /api/v1/openapi.json is a valid OpenAPI
// 3.1 document that lists every /api/v1 route the server has, and every
// answer of every route — each documented status, reached for real with a
// session or an API token — matches it (kin-openapi's validator, JSON
// Schema 2020-12 for 3.1, undocumented statuses refused).
func TestOpenAPIDocumentMatchesEveryRoute(t *testing.T) {
	t.Parallel()
	env := newImportEnv(t, dashboard.Config{BackgroundRows: 10})
	base := env.ts.URL
	ctx := context.Background()

	resp, err := http.Get(base + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/openapi.json without a session = %d", resp.StatusCode)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Errorf("the document is OpenAPI %s, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("the document is not valid OpenAPI: %v", err)
	}
	// Servers are relative to wherever chitieu runs: point them at the
	// test server for the router.
	doc.Servers = openapi3.Servers{{URL: base + "/api/v1"}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}

	// Every /api/v1 route of the server is in the document, and nothing
	// else is.
	param := regexp.MustCompile(`:([a-z_]+)`)
	served := map[string]bool{}
	for _, r := range env.srv.Echo().Routes() {
		if p, ok := strings.CutPrefix(r.Path, "/api/v1"); ok {
			served[r.Method+" "+param.ReplaceAllString(p, "{$1}")] = true
		}
	}
	documented := map[string]bool{}
	for p, item := range doc.Paths.Map() {
		for m := range item.Operations() {
			documented[m+" "+p] = true
			if !served[m+" "+p] {
				t.Errorf("the document lists %s %s, which the server does not have", m, p)
			}
		}
	}
	for rt := range served {
		if !documented[rt] {
			t.Errorf("route %s /api/v1%s is not in the OpenAPI document", strings.Fields(rt)[0], strings.Fields(rt)[1])
		}
	}

	// Callers: a planner's session and tokens, a leader, nobody.
	planner := logintest.Login(t, base, "hoa", "")
	logintest.AddUser(t, env.db, "lanh.dao", indicators.Leader, "", nil, nil)
	leader := logintest.Login(t, base, "lanh.dao", "")
	read := apiToken(t, env.db, "hoa", "đọc", "A", indicators.ScopeRead)
	importOnly := apiToken(t, env.db, "hoa", "chỉ nhập", "B", indicators.ScopeImport)
	readLeader := apiToken(t, env.db, "lanh.dao", "lãnh đạo", "C", indicators.ScopeRead)
	nobody := logintest.Client(t)

	file, _ := filledTemplate(t, env.db)
	loc := redirected(t, uploadFile(t, planner, base, "lon.xlsx", file, nil), "/imports/jobs/")
	job := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/imports/jobs/")
	webBatch := batchOf(t, waitJob(t, planner, base, job))

	inds, err := env.db.Indicators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	code := inds[0].Code
	for _, ind := range inds {
		if ind.Code == "ECO-01" {
			code = ind.Code // with targets and values
		}
	}
	ids, err := catalog.PlanIDs()
	if err != nil {
		t.Fatal(err)
	}
	r59 := url.PathEscape(ids["R59"])
	calls := []call{{path: "/api/v1/openapi.json", client: nobody, want: 200}}
	for _, p := range []string{"/plans", "/plans/" + r59, "/plans/" + r59 + "/targets?period=2021-2025", "/plans/" + r59 + "/groups?asof=2025-06-30",
		"/indicators", "/indicators/" + code, "/indicators/" + code + "?asof=2024-12-31", "/units", "/me"} {
		calls = append(calls,
			call{path: "/api/v1" + p, client: planner, want: 200},
			call{path: "/api/v1" + p, client: nobody, token: read, want: 200},
			call{path: "/api/v1" + p, client: nobody, want: 401},
			call{path: "/api/v1" + p, client: nobody, token: importOnly, want: 403})
	}
	calls = append(calls,
		call{path: "/api/v1/plans/" + r59 + "/targets?period=" + url.QueryEscape("2020-x"), client: planner, want: 400},
		call{path: "/api/v1/plans/" + r59 + "/groups?asof=hom-qua", client: planner, want: 400},
		call{path: "/api/v1/indicators/" + code + "?asof=31-12-2024", client: nobody, token: read, want: 400},
		call{path: "/api/v1/plans/KHONG-CO", client: planner, want: 404},
		call{path: "/api/v1/plans/KHONG-CO/targets", client: planner, want: 404},
		call{path: "/api/v1/plans/KHONG-CO/groups", client: planner, want: 404},
		call{path: "/api/v1/indicators/ZZZ-99", client: planner, want: 404},
		call{path: "/api/v1/imports/jobs/" + job, client: planner, want: 200},
		call{path: "/api/v1/imports/jobs/" + job, client: nobody, token: read, want: 200},
		call{path: "/api/v1/imports/jobs/khong-co", client: planner, want: 404},
		call{path: "/api/v1/imports/jobs/" + job, client: nobody, want: 401},
		call{path: "/api/v1/imports/jobs/" + job, client: leader, want: 403},
		call{path: "/api/v1/imports/jobs/" + job, client: nobody, token: readLeader, want: 403},
		call{path: "/api/v1/me", client: nobody, token: "ctk_" + strings.Repeat("Z", 43), want: 401},
	)

	reached := map[string]bool{} // "METHOD /path status"
	run := func(cl call) []byte {
		t.Helper()
		method := cl.method
		if method == "" {
			method = http.MethodGet
		}
		var body io.Reader
		if cl.body != nil {
			body = cl.body
		}
		req, _ := http.NewRequest(method, base+cl.path, body)
		if cl.ctype != "" {
			req.Header.Set("Content-Type", cl.ctype)
		}
		if cl.key != "" {
			req.Header.Set("Idempotency-Key", cl.key)
		}
		if cl.token != "" {
			req.Header.Set("Authorization", "Bearer "+cl.token)
		}
		resp, err := cl.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != cl.want {
			t.Errorf("%s %s = %d, want %d:\n%.300s", method, cl.path, resp.StatusCode, cl.want, got)
			return got
		}
		route, pathParams, err := router.FindRoute(req)
		if err != nil {
			t.Errorf("%s %s: no route in the document: %v", method, cl.path, err)
			return got
		}
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
			Status: resp.StatusCode, Header: resp.Header, Body: io.NopCloser(bytes.NewReader(got)),
			Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
		}
		if err := openapi3filter.ValidateResponse(ctx, in); err != nil {
			t.Errorf("%s %s (%d) does not match the document:\n%v\n%.500s", method, cl.path, resp.StatusCode, err, got)
		}
		reached[fmt.Sprintf("%s %s %d", method, route.Path, resp.StatusCode)] = true
		return got
	}
	for _, cl := range calls {
		run(cl)
	}
	sendAndCommit(t, env, base, webBatch, run)

	// Every documented status of every operation was reached.
	var missing []string
	for p, item := range doc.Paths.Map() {
		for m, op := range item.Operations() {
			for st := range op.Responses.Map() {
				if k := fmt.Sprintf("%s %s %s", m, p, st); !reached[k] {
					missing = append(missing, k)
				}
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("documented answers no call reached: %v", missing)
	}
}
