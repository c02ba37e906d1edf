package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"chitieu/importers"
	"chitieu/indicators"
	"chitieu/indicators/catalog"
	"chitieu/indicators/postgres"
	"chitieu/tools/benchdata"
)

// appName marks the benchmark's connections, so that the server processes
// serving them can be found in pg_stat_activity and their CPU time read.
const appName = "benchimport"

// postgresURL is the database the PostgreSQL column imports into: the
// -postgres flag, else BENCH_POSTGRES, else CHITIEU_TEST_POSTGRES (the
// throwaway cluster of .ci/postgres), else none.
func postgresURL(flagValue string) string {
	for _, s := range []string{flagValue, os.Getenv("BENCH_POSTGRES"), os.Getenv("CHITIEU_TEST_POSTGRES")} {
		if s != "" {
			return s
		}
	}
	return ""
}

// withParams is dsn with runtime parameters set, for a postgres:// URL or
// a key=value string.
func withParams(dsn string, params map[string]string) (string, error) {
	if postgres.IsURL(dsn) {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", fmt.Errorf("the PostgreSQL URL: %w", err)
		}
		q := u.Query()
		for k, v := range params {
			q.Set(k, v)
		}
		u.RawQuery = q.Encode()
		return u.String(), nil
	}
	for k, v := range params {
		dsn += " " + k + "=" + v
	}
	return dsn, nil
}

// freshSchema creates a schema of its own in the database for one
// measurement and returns the connection string that works in it, and a
// function that drops it.
func freshSchema(base string) (string, func(), error) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", nil, fmt.Errorf("connect to %s: %w", postgres.Redact(base), err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "bench_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", nil, fmt.Errorf("create schema %s: %w", schema, err)
	}
	drop := func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			fmt.Fprintf(os.Stderr, "benchimport: drop schema %s: %v\n", schema, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			fmt.Fprintf(os.Stderr, "benchimport: drop schema %s: %v\n", schema, err)
		}
	}
	dsn, err := withParams(base, map[string]string{"search_path": schema, "application_name": appName})
	if err != nil {
		drop()
		return "", nil, err
	}
	return dsn, drop, nil
}

func openPostgres(ctx context.Context, dsn, keyPath string) (*postgres.DB, error) {
	return postgres.Open(ctx, dsn, postgres.WithAuditKey(keyPath),
		postgres.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
}

// pgImportOnce imports a file end to end into a fresh schema, as
// importOnce does into a fresh SQLite file, and adds the CPU time the
// server's processes spent meanwhile.
func pgImportOnce(path, dsn, keyPath string) error {
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "bench"})
	db, err := openPostgres(ctx, dsn, keyPath)
	if err != nil {
		return err
	}
	defer db.Close()
	cat, err := catalog.Builtin()
	if err != nil {
		return err
	}
	if _, err := db.LoadCatalog(ctx, cat); err != nil {
		return err
	}
	// BENCH_PG_SQL is run in the fresh schema before the import, for
	// experiments: what dropping an index or a constraint would save.
	if q := os.Getenv("BENCH_PG_SQL"); q != "" {
		if _, err := db.Pool().Exec(ctx, q); err != nil {
			return fmt.Errorf("BENCH_PG_SQL: %w", err)
		}
	}
	stop, err := startProfile()
	if err != nil {
		return err
	}
	defer stop()
	before := backendCPU(ctx, db)
	start := time.Now()
	res, err := benchdata.Import(db, path, benchLimits)
	if err != nil {
		return err
	}
	s := step{Rows: res.Rows, Seconds: time.Since(start).Seconds(), Values: res.New + res.Changed}
	s.ServerCPU = cpuSince(before, backendCPU(ctx, db))
	return json.NewEncoder(os.Stdout).Encode(s)
}

// pgReimport imports a file again into the schema that holds it.
func pgReimport(path, dsn, keyPath string) error {
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "bench"})
	db, err := openPostgres(ctx, dsn, keyPath)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := importers.ReceiveFile(path, "", benchLimits)
	if err != nil {
		return err
	}
	defer u.Close()
	before := backendCPU(ctx, db)
	start := time.Now()
	res, err := (&importers.Importer{Store: db, Limits: benchLimits}).Import(ctx, u, importers.Options{ConfirmNote: "số liệu thử cho đo tốc độ (benchmark data)"})
	if err != nil {
		return err
	}
	if res.New+res.Changed != 0 || res.Rejected != 0 {
		return fmt.Errorf("%s imported again: %d new, %d changed, %d rejected; want nothing", path, res.New, res.Changed, res.Rejected)
	}
	s := step{Rows: res.Rows, Seconds: time.Since(start).Seconds()}
	s.ServerCPU = cpuSince(before, backendCPU(ctx, db))
	return json.NewEncoder(os.Stdout).Encode(s)
}

// backendCPU reads the CPU seconds of each server process serving the
// benchmark's connections, from /proc: it works when the server runs on
// this machine (the cluster of .ci/postgres), and is empty otherwise.
func backendCPU(ctx context.Context, db *postgres.DB) map[int]float64 {
	out := map[int]float64{}
	rows, err := db.Pool().Query(ctx, `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, appName)
	if err != nil {
		return out
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return out
	}
	for _, pid := range pids {
		if s, ok := procCPU(int(pid)); ok {
			out[int(pid)] = s
		}
	}
	return out
}

// procCPU is the user and system time of a process, in seconds, from
// /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s on Linux).
func procCPU(pid int) (float64, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(s[i+1:]) // f[0] is field 3, the state
	if len(f) < 13 {
		return 0, false
	}
	u, err1 := strconv.ParseFloat(f[11], 64)
	k, err2 := strconv.ParseFloat(f[12], 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return (u + k) / 100, true
}

// cpuSince is the CPU time spent between two readings: the growth of the
// processes in both, and the whole of those started in between.
func cpuSince(before, after map[int]float64) float64 {
	var sum float64
	for pid, s := range after {
		sum += s - before[pid]
	}
	return sum
}
