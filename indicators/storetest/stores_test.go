package storetest_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io"
	"log/slog"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
	"chitieu/indicators/postgres"
	"chitieu/indicators/postgres/pgtest"
	"chitieu/indicators/sqlite"
	"chitieu/indicators/storetest"
)

// quiet drops the stores' notes of migrations and keys.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// TestSQLite runs the suite against the SQLite store, always.
func TestSQLite(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, now func() time.Time) storetest.Handle {
		path := filepath.Join(t.TempDir(), "s.db")
		db, err := sqlite.Open(context.Background(), path, sqlite.WithClock(now), sqlite.WithLogger(quiet))
		if err != nil {
			t.Fatalf("open %s: %v", path, err)
		}
		t.Cleanup(func() { db.Close() })
		return storetest.Handle{Store: db, Exec: func(q string) error {
			raw, err := sql.Open("sqlite", path)
			if err != nil {
				return err
			}
			defer raw.Close()
			_, err = raw.Exec(q)
			return err
		}}
	})
}

// TestPostgres runs the suite against the PostgreSQL store, each case in a
// schema of its own, when CHITIEU_TEST_POSTGRES names a database; it says
// that it skipped otherwise (and fails under CI=true).
func TestPostgres(t *testing.T) {
	pgtest.URL(t)
	t.Parallel()
	storetest.Run(t, openPostgres)
}

func openPostgres(t *testing.T, now func() time.Time) storetest.Handle {
	dsn := pgtest.Fresh(t)
	db, err := postgres.Open(context.Background(), dsn, postgres.WithClock(now), postgres.WithLogger(quiet),
		postgres.WithAuditKey(filepath.Join(t.TempDir(), "chitieu.key")))
	if err != nil {
		t.Fatalf("open PostgreSQL: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return storetest.Handle{Store: db, Exec: func(q string) error {
		_, err := db.Pool().Exec(context.Background(), q)
		return err
	}}
}

// TestBothStoresChainEventsAlike holds the two stores' audit hashes equal:
// an event chained by SQLite verifies under the PostgreSQL store's hashing
// with the same key, which is what copying a trail between them needs.
func TestBothStoresChainEventsAlike(t *testing.T) {
	t.Parallel()
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "root", Addr: "10.0.0.1"})
	c := &storetest.Clock{T: time.Date(2026, 5, 4, 3, 2, 1, 123456789, time.UTC)}
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "h.db"), sqlite.WithClock(c.Now), sqlite.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.LoadCatalog(ctx, storetest.SmallCatalog()); err != nil {
		t.Fatal(err)
	}
	if err := db.AddValues(ctx, []indicators.Value{{Key: indicators.Key{Indicator: "ECO-01", Unit: "CT",
		Period: indicators.YearPeriod(2025), Type: indicators.OfficialValue}, Value: 8.5, Source: "S33", Note: "ghi chú <&> \"x\""}}); err != nil {
		t.Fatal(err)
	}
	evs, err := db.AuditEvents(ctx, indicators.AuditFilter{})
	if err != nil || len(evs) != 2 {
		t.Fatalf("events = %v, %v", evs, err)
	}
	for _, ev := range evs {
		got, err := postgres.EventHash(db.KeyPath(), ev)
		if err != nil || got != ev.Hash {
			t.Errorf("event #%d %s: PostgreSQL's hash %s, %v; SQLite chained %s", ev.ID, ev.Action, got, err, ev.Hash)
		}
	}
}

// BenchmarkCommit commits a batch of 10,000 values, in the importer's
// chunks of 2,000, into each store: SQLite's multi-row inserts against
// PostgreSQL's COPY. go test -run '^$' -bench Commit ./indicators/storetest/
func BenchmarkCommit(b *testing.B) {
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "lan"})
	stores := map[string]func(b *testing.B) storetest.Store{
		"sqlite": func(b *testing.B) storetest.Store {
			db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "b.db"), sqlite.WithLogger(quiet))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			return db
		},
		"postgres": func(b *testing.B) storetest.Store {
			db, err := postgres.Open(ctx, pgtest.Fresh(b), postgres.WithLogger(quiet),
				postgres.WithAuditKey(filepath.Join(b.TempDir(), "chitieu.key")))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			return db
		},
	}
	const values, chunk = 10000, 2000
	var changes []indicators.Change
	for i := 0; len(changes) < values; i++ {
		for _, typ := range []indicators.ValueType{indicators.PlanValue, indicators.EstimateValue, indicators.OfficialValue} {
			changes = append(changes, indicators.Change{Kind: indicators.NewValue, Reading: indicators.Reading{
				Key: indicators.Key{Indicator: "ECO-01", Unit: "CT-CU", Period: indicators.Period{Year: 1900 + i/12,
					Kind: indicators.Month, N: i%12 + 1}, Type: typ}, Value: float64(i), Sheet: "Số liệu", Cell: "E" + strconv.Itoa(i)}})
		}
	}
	changes = changes[:values]
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			db := stores[name](b)
			if _, err := db.LoadCatalog(ctx, storetest.SmallCatalog()); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				batch, err := db.BeginCommit(ctx, indicators.StagedBatch{Batch: indicators.Batch{FileName: "b.xlsx",
					SHA256: strings.Repeat("0", 64)}}, nil)
				if err != nil {
					b.Fatal(err)
				}
				for c := 0; c < len(changes); c += chunk {
					if err := db.WriteCommit(ctx, batch, changes[c:c+chunk]); err != nil {
						b.Fatal(err)
					}
				}
				batch.New = values
				if _, err := db.FinishCommit(ctx, batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(values*b.N)/b.Elapsed().Seconds(), "values/s")
		})
	}
}

// TestCopyFromSQLite copies a SQLite database whole into a new PostgreSQL
// one: plans, targets with revisions, values with their history (a batch
// rolled back included), batches with their files, users, tokens,
// profiles, metadata and the audit chain, whose events keep their IDs,
// moments to the nanosecond and hashes, so that it verifies there; sessions
// are dropped. Writes then go on from where the copy ends.
func TestCopyFromSQLite(t *testing.T) {
	dsn := pgtest.Fresh(t)
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "root", Addr: "10.0.0.1", Role: indicators.Admin})
	c := &storetest.Clock{T: time.Date(2026, 3, 4, 5, 6, 7, 123456789, time.UTC)}
	path := filepath.Join(t.TempDir(), "copy.db")
	src, err := sqlite.Open(ctx, path, sqlite.WithClock(c.Now), sqlite.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	step := func() { c.T = c.T.Add(time.Minute + 987*time.Nanosecond) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = src.LoadCatalog(ctx, storetest.SmallCatalog())
	must(err)
	step()
	k := indicators.Key{Indicator: "ECO-01", Unit: "CT-CU", Period: indicators.YearPeriod(2024), Type: indicators.OfficialValue}
	must(src.AddValues(ctx, []indicators.Value{{Key: k, Value: 7, Source: "S56"}}))
	step()
	must(src.AddValues(ctx, []indicators.Value{{Key: k, Value: 7.12, Source: "S56"}}))
	ts, _ := src.Targets(ctx, indicators.TargetFilter{})
	step()
	must(src.ReviseTarget(ctx, ts[0].ID, indicators.TargetRevision{Kind: indicators.AvgGrowthTarget,
		Bound: indicators.Bound{Op: indicators.OpAtLeast, A: 7}, Text: "7%", Act: "QĐ 1", ActDate: c.T, Effective: c.T, Reason: "điều chỉnh"}))
	u := indicators.User{Name: "lan", Role: indicators.Planner, Units: []string{"CT-CU"}, Groups: []int{0}, PasswordHash: "h"}
	must(src.CreateUser(ctx, &u))
	must(src.StartSession(ctx, indicators.Session{ID: strings.Repeat("a", 64), User: "lan", CSRF: "x", CreatedAt: c.T, LastSeen: c.T},
		"", strings.Repeat("d", 64), c.T.Add(-time.Hour), c.T.Add(-time.Hour)))
	tok := indicators.APIToken{User: "lan", Name: "t", Prefix: "p", Hash: strings.Repeat("e", 64), Scopes: []string{"read"}, ExpiresAt: c.T.AddDate(0, 1, 0)}
	must(src.CreateToken(ctx, &tok))
	must(src.SaveProfile(ctx, indicators.ImportProfile{Name: "bieu", Shape: "long", JSON: `{"name":"bieu"}`}))
	must(src.SetIndicatorMetadata(ctx, indicators.IndicatorMetadata{Indicator: "ECO-01", Definition: "GRDP"}))
	must(src.SetPlanPublic(ctx, storetest.SmallCatalog().Plans[0].ID, true))
	// The reporting cycle's tables: an obligation, a changed cut-off rule,
	// an address, a sent reminder and an answered idempotency key.
	plan98 := storetest.SmallCatalog().Plans[2].ID
	ob := indicators.Obligation{Plan: plan98, Unit: "CT", Indicators: []string{"ECO-01"}, Frequency: indicators.Quarterly, Figures: "CT-CU"}
	must(src.AddObligation(ctx, &ob))
	rule := indicators.CutoffRule{Frequency: indicators.Quarterly, CutoffDay: 10, DeadlineDays: 20}
	must(src.SetCutoff(ctx, plan98, rule))
	must(src.SetUserEmail(ctx, "lan", "lan@cantho.gov.vn"))
	if ok, err := src.ClaimReminder(ctx, "r-1", "lan", "lan@cantho.gov.vn"); err != nil || !ok {
		t.Fatalf("claim = %v, %v", ok, err)
	}
	must(src.ReminderSent(ctx, "r-1", nil))
	idem := indicators.IdempotentAnswer{User: "lan", Key: "k", Request: "r", Status: 201, ContentType: "text/plain", Body: []byte("đã nhận")}
	if _, ok, err := src.BeginIdempotent(ctx, idem, c.T); err != nil || !ok {
		t.Fatalf("begin idempotent = %v, %v", ok, err)
	}
	must(src.FinishIdempotent(ctx, idem))
	file := []byte("PK tệp nhập")
	sum := sha256.Sum256(file)
	for i := 0; i < 2; i++ {
		step()
		b, err := src.BeginCommit(ctx, indicators.StagedBatch{Batch: indicators.Batch{FileName: "b.xlsx", SHA256: hex.EncodeToString(sum[:]),
			Size: int64(len(file))}}, bytes.NewReader(file))
		must(err)
		must(src.WriteCommit(ctx, b, []indicators.Change{{Kind: indicators.ChangedValue, OldID: 2, Old: 7.12, Reading: indicators.Reading{
			Key: k, Value: 7.2 + float64(i), Sheet: "S", Cell: "B2"}}}))
		b.Changed = 1
		_, err = src.FinishCommit(ctx, b)
		must(err)
		if i == 0 {
			step()
			_, err = src.RollbackBatch(ctx, b.ID)
			must(err)
		}
	}
	// A submission of the period and an explanation of its target, by a
	// planner of the unit.
	planner := indicators.WithActor(context.Background(), indicators.Actor{User: "lan", Role: indicators.Planner, Units: []string{"CT-CU"}})
	sk := indicators.SubmissionKey{Plan: storetest.SmallCatalog().Plans[2].ID, Unit: "CT-CU", Period: indicators.YearPeriod(2024)}
	step()
	_, err = src.Submit(planner, sk)
	must(err)
	_, err = src.SetExplanation(planner, indicators.Explanation{Target: ts[0].ID, Unit: "CT-CU", Period: sk.Period,
		Cause: "Dịch bệnh", Remedy: "Đầu tư công"})
	must(err)
	keyPath := src.KeyPath()
	must(src.Close())

	dst, err := postgres.Open(ctx, dsn, postgres.WithLogger(quiet), postgres.WithAuditKey(keyPath),
		postgres.WithHeadsFile(filepath.Join(t.TempDir(), "pg.heads")))
	must(err)
	defer dst.Close()
	res, err := dst.CopyFromSQLite(ctx, path)
	must(err)
	if res.Rows["data_values"] != 6 || res.Rows["audit_events"] == 0 || res.Rows["file_chunks"] != 1 || res.Rows["users"] != 1 ||
		res.Rows["submissions"] != 1 || res.Rows["explanations"] != 1 {
		t.Fatalf("copied rows = %v", res.Rows)
	}
	if chk, err := dst.CheckAudit(ctx); err != nil || chk.Broken != nil || chk.Head.Events != res.Rows["audit_events"]+1 {
		t.Fatalf("CheckAudit after the copy = %+v, %v; want whole, the copy's own event on top", chk, err)
	}

	src, err = sqlite.Open(ctx, path, sqlite.WithClock(c.Now), sqlite.WithLogger(quiet))
	must(err)
	defer src.Close()
	same := func(what string, a, b any, errA, errB error) {
		t.Helper()
		if errA != nil || errB != nil || !reflect.DeepEqual(a, b) {
			t.Errorf("%s differ after the copy (%v, %v):\nSQLite     %+v\nPostgreSQL %+v", what, errA, errB, a, b)
		}
	}
	trunc := func(vs []indicators.Value) []indicators.Value {
		for i := range vs {
			vs[i].EnteredAt = vs[i].EnteredAt.Truncate(time.Microsecond)
			if !vs[i].RetractedAt.IsZero() {
				vs[i].RetractedAt = vs[i].RetractedAt.Truncate(time.Microsecond)
			}
		}
		return vs
	}
	{
		a, errA := src.Plans(ctx)
		b, errB := dst.Plans(ctx)
		same("plans", a, b, errA, errB)
	}
	{
		a, errA := src.Values(ctx, indicators.ValueFilter{EnteredBy: c.T})
		b, errB := dst.Values(ctx, indicators.ValueFilter{EnteredBy: c.T})
		same("values", trunc(a), trunc(b), errA, errB)
	}
	{
		a, errA := src.AuditEvents(ctx, indicators.AuditFilter{})
		b, errB := dst.AuditEvents(ctx, indicators.AuditFilter{To: c.T})
		same("audit events", a, b, errA, errB)
	}
	{
		a, errA := src.Batches(ctx, indicators.BatchFilter{})
		b, errB := dst.Batches(ctx, indicators.BatchFilter{})
		for _, list := range [][]indicators.Batch{a, b} {
			for i := range list {
				list[i].CreatedAt = list[i].CreatedAt.Truncate(time.Microsecond)
				list[i].CommittedAt = list[i].CommittedAt.Truncate(time.Microsecond)
				list[i].RolledBackAt = list[i].RolledBackAt.Truncate(time.Microsecond)
			}
		}
		same("batches", a, b, errA, errB)
	}
	{
		a, errA := src.Submissions(ctx, indicators.SubmissionFilter{})
		b, errB := dst.Submissions(ctx, indicators.SubmissionFilter{})
		for i := range a {
			a[i].SubmittedAt = a[i].SubmittedAt.Truncate(time.Microsecond)
		}
		same("submissions", a, b, errA, errB)
	}
	{
		a, errA := src.Explanations(ctx, indicators.ExplanationFilter{})
		b, errB := dst.Explanations(ctx, indicators.ExplanationFilter{})
		for i := range a {
			a[i].EnteredAt = a[i].EnteredAt.Truncate(time.Microsecond)
		}
		same("explanations", a, b, errA, errB)
	}
	var fa, fb bytes.Buffer
	_, errA := src.BatchFile(ctx, 1, &fa)
	_, errB := dst.BatchFile(ctx, 1, &fb)
	same("batch file", fa.String(), fb.String(), errA, errB)
	ua, errA := src.User(ctx, "lan")
	ub, errB := dst.User(ctx, "lan")
	ua.CreatedAt, ua.PasswordAt = ua.CreatedAt.Truncate(time.Microsecond), ua.PasswordAt.Truncate(time.Microsecond)
	same("user", ua, ub, errA, errB)
	if _, _, err := dst.Session(ctx, strings.Repeat("a", 64)); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Errorf("a session came along: %v", err)
	}
	if name, _ := dst.DeviceUser(ctx, strings.Repeat("d", 64)); name != "lan" {
		t.Errorf("trusted device = %q, want lan's", name)
	}
	if tb, owner, err := dst.TokenByHash(ctx, tok.Hash); err != nil || tb.Name != "t" || owner.Name != "lan" {
		t.Errorf("token = %+v, %+v, %v", tb, owner, err)
	}
	if p, err := dst.Profile(ctx, "bieu"); err != nil || p.JSON != `{"name":"bieu"}` {
		t.Errorf("profile = %+v, %v", p, err)
	}
	if m, err := dst.IndicatorMetadata(ctx, "ECO-01"); err != nil || m.Definition != "GRDP" {
		t.Errorf("metadata = %+v, %v", m, err)
	}
	if pub, _ := dst.PublicPlans(ctx); len(pub) != 1 {
		t.Errorf("public plans = %v", pub)
	}
	if obs, err := dst.Obligations(ctx, indicators.ObligationFilter{}); err != nil || len(obs) != 1 || !reflect.DeepEqual(obs[0], ob) {
		t.Errorf("obligations = %+v, %v; want %+v", obs, err, ob)
	}
	if sch, err := dst.Schedules(ctx); err != nil || sch[plan98].Rule(indicators.Quarterly) != rule {
		t.Errorf("schedules = %+v, %v", sch, err)
	}
	if a, err := dst.UserEmail(ctx, "lan"); err != nil || a != "lan@cantho.gov.vn" {
		t.Errorf("e-mail = %q, %v", a, err)
	}
	if ok, err := dst.ClaimReminder(ctx, "r-1", "lan", "lan@cantho.gov.vn"); err != nil || ok {
		t.Errorf("a reminder sent before the copy claimed again = %v, %v", ok, err)
	}
	if held, ok, err := dst.BeginIdempotent(ctx, idem, c.T.Add(time.Minute)); err != nil || ok || !held.Done || held.Status != 201 ||
		string(held.Body) != "đã nhận" {
		t.Errorf("idempotency key after the copy = %+v, %v, %v; want the kept answer", held, ok, err)
	}
	// Writes go on: new IDs after the copied ones, chained to the copy.
	step()
	must(dst.AddValues(ctx, []indicators.Value{{Key: k, Value: 9, Source: "S1"}}))
	if s, err := dst.Submission(ctx, sk); err != nil || s.State != indicators.Draft {
		t.Errorf("the copied submission after a value of its period = %+v, %v; want draft", s, err)
	}
	vs, _ := dst.Values(ctx, indicators.ValueFilter{})
	if last := vs[len(vs)-1]; last.Value != 9 || last.ID != 7 {
		t.Errorf("the first value after the copy = %+v, want ID 7", last)
	}
	ob2 := indicators.Obligation{Plan: plan98, Unit: "CT-CU", Indicators: []string{"ECO-01"}, Frequency: indicators.Yearly}
	if err := dst.AddObligation(ctx, &ob2); err != nil || ob2.ID != ob.ID+1 {
		t.Errorf("the first obligation after the copy = %+v, %v; want ID %d", ob2, err, ob.ID+1)
	}
	if b, err := dst.VerifyAudit(ctx); err != nil || b != nil {
		t.Errorf("VerifyAudit after writing on = %v, %v", b, err)
	}
	if _, err := dst.CopyFromSQLite(ctx, path); indicators.ErrorCode(err) != indicators.ECONFLICT {
		t.Errorf("a second copy into a used database err = %v, want conflict", err)
	}
}
