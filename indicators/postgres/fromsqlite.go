package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"chitieu/indicators"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	_ "modernc.org/sqlite" // reads the SQLite file being copied
)

// copiedTables are the SQLite tables a copy carries, in an order that
// satisfies the foreign keys, and skippedTables those it leaves: sessions
// (everyone signs in again), failed sign-ins (a day's throttling), leases
// (the servers on PostgreSQL take them anew), and what PostgreSQL keeps
// otherwise (its own migrations; the data version lives in the audit head).
var (
	copiedTables = []string{"meta", "plans", "task_groups", "units", "tasks", "task_updates", "indicators",
		"targets", "target_revisions", "batches", "data_values", "audit_events", "files", "file_chunks",
		"import_profiles", "users", "trusted_devices", "sources", "api_tokens", "indicator_metadata", "public_plans",
		"obligations", "obligation_indicators", "plan_cutoffs", "user_emails", "reminders", "idempotency_keys"}
	skippedTables = []string{"sessions", "login_failures", "schema_migrations", "data_version", "import_pending", "leases"}
)

// CopyResult counts the rows a copy carried, by table.
type CopyResult struct {
	Rows map[string]int64
	Head indicators.AuditHead
}

// CopyFromSQLite copies the SQLite database at path, whole, into db, which
// must be new (no audit event, no plan): every table with its IDs, so that
// the audit chain's events keep their hashes and links, values their
// history and batches their files. Sessions are dropped. It refuses a
// SQLite database with a commit under way, or with a table or column it
// does not know (made by a newer chitieu), rather than leave data behind.
// The copy is one transaction: a failure leaves db as it was. db must have
// been opened with the SQLite database's audit key; CheckAudit verifies the
// chain after.
func (db *DB) CopyFromSQLite(ctx context.Context, path string) (CopyResult, error) {
	res := CopyResult{Rows: map[string]int64{}}
	src, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return res, fmt.Errorf("postgres: open %s: %w", path, err)
	}
	defer src.Close()
	src.SetMaxOpenConns(1)
	rtx, err := src.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return res, fmt.Errorf("postgres: read %s: %w", path, err)
	}
	defer rtx.Rollback()
	if err := knownSchema(ctx, rtx, path); err != nil {
		return res, err
	}
	var pending int
	if err := rtx.QueryRowContext(ctx, `SELECT COUNT(*) FROM import_pending`).Scan(&pending); err != nil {
		return res, fmt.Errorf("postgres: read %s: %w", path, err)
	}
	if pending > 0 {
		return res, indicators.FieldError(indicators.ECONFLICT, "",
			fmt.Sprintf("%s có %d lô nhập đang ghi dở: hãy dừng máy chủ và mở lại cơ sở dữ liệu (chitieu check) trước khi chép", path, pending),
			fmt.Sprintf("%s has %d import batches being committed: stop the server and open the database again (chitieu check) before copying", path, pending))
	}
	types, err := db.columnTypes(ctx)
	if err != nil {
		return res, err
	}
	err = db.writeTx(ctx, func(tx *wtx) error {
		var plans int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM plans`).Scan(&plans); err != nil {
			return fmt.Errorf("postgres: look at the target database: %w", err)
		}
		if plans > 0 || tx.lastID > 0 {
			return indicators.FieldError(indicators.ECONFLICT, "",
				fmt.Sprintf("cơ sở dữ liệu đích %s đã có dữ liệu (%d kế hoạch, %d sự kiện nhật ký): chỉ chép vào cơ sở dữ liệu mới", db.name, plans, tx.lastID),
				fmt.Sprintf("the target database %s already holds data (%d plans, %d audit events): copy only into a new database", db.name, plans, tx.lastID))
		}
		for _, table := range copiedTables {
			n, err := copyTable(ctx, rtx, tx, table, types[table])
			if err != nil {
				return err
			}
			res.Rows[table] = n
		}
		// The chain's end and the data version, from what was copied.
		if err := tx.QueryRow(ctx, `SELECT COUNT(*), COALESCE(MAX(id), 0),
			COALESCE((SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1), '') FROM audit_events`).
			Scan(&tx.events, &tx.lastID, &tx.hash); err != nil {
			return fmt.Errorf("postgres: read the copied chain's end: %w", err)
		}
		var versionID int64
		var versionAt string
		if err := rtx.QueryRowContext(ctx, `SELECT id, at FROM data_version WHERE one = 1`).Scan(&versionID, &versionAt); err != nil {
			return fmt.Errorf("postgres: read the data version of %s: %w", path, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE audit_head SET last_id = $1, hash = $2, events = $3, version_id = $4,
			version_at = $5 WHERE one`, tx.lastID, tx.hash, tx.events, versionID, nullTime(parseTime(versionAt))); err != nil {
			return fmt.Errorf("postgres: set the audit head: %w", err)
		}
		for _, table := range copiedTables {
			if !slices.Contains(types[table], column{"id", "bigint"}) || table == "audit_events" {
				continue
			}
			if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+table+`', 'id'),
				GREATEST((SELECT MAX(id) FROM `+table+`), 1), (SELECT MAX(id) IS NOT NULL FROM `+table+`))`); err != nil {
				return fmt.Errorf("postgres: move the IDs of %s on: %w", table, err)
			}
		}
		// The copy itself is audited, chained to the copied trail.
		return tx.audit(ctx, indicators.AuditEvent{Action: "db.copy", Object: "db:" + db.name,
			After: jsonOf(map[string]any{"from": path, "rows": res.Rows})})
	})
	if err != nil {
		return res, err
	}
	res.Head, err = db.AuditHead(ctx)
	return res, err
}

// column is a column of the PostgreSQL schema and its type.
type column struct{ name, typ string }

// columnTypes reads the columns of the store's tables in the schema the
// connection uses.
func (db *DB) columnTypes(ctx context.Context) (map[string][]column, error) {
	rows, err := db.pool.Query(ctx, `SELECT table_name, column_name, data_type, udt_name FROM information_schema.columns
		WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`)
	if err != nil {
		return nil, fmt.Errorf("postgres: read the schema: %w", err)
	}
	defer rows.Close()
	out := map[string][]column{}
	for rows.Next() {
		var table, name, typ, udt string
		if err := rows.Scan(&table, &name, &typ, &udt); err != nil {
			return nil, fmt.Errorf("postgres: read the schema: %w", err)
		}
		if typ == "ARRAY" {
			typ = "array of " + udt // _text, _int4
		}
		out[table] = append(out[table], column{name, typ})
	}
	return out, rows.Err()
}

// knownSchema refuses a SQLite database with a table the copy neither
// carries nor skips: a newer chitieu's data would be left behind.
func knownSchema(ctx context.Context, rtx *sql.Tx, path string) error {
	rows, err := rtx.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		return fmt.Errorf("postgres: read the tables of %s: %w", path, err)
	}
	defer rows.Close()
	var unknown []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return fmt.Errorf("postgres: read the tables of %s: %w", path, err)
		}
		if !slices.Contains(copiedTables, name) && !slices.Contains(skippedTables, name) {
			unknown = append(unknown, name)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(unknown) > 0 {
		return indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("%s có bảng mà bản chép sang PostgreSQL chưa biết (%s): hãy dùng bản chitieu mới hơn", path, strings.Join(unknown, ", ")),
			fmt.Sprintf("%s has tables that the copy to PostgreSQL does not know yet (%s): use a newer chitieu", path, strings.Join(unknown, ", ")))
	}
	return nil
}

// auditSource reads SQLite's audit trail as PostgreSQL's keeps it. Since
// SQLite's migration 0015 the trail there stores the hash as 32 bytes, no
// previous hash, and no file hash for an event of a batch's own file: the
// hash goes back to hex, the file hash comes from the batch, as SQLite's
// readers derive them, and copyTable fills in each previous hash.
const auditSource = `SELECT e.id, e.at, e.user, e.addr, e.action, e.object, e.before, e.after, e.batch,
	COALESCE(e.file_hash, (SELECT b.sha256 FROM batches b WHERE b.id = e.batch), '') AS file_hash, '' AS prev_hash,
	CASE typeof(e.hash) WHEN 'blob' THEN lower(hex(e.hash)) ELSE e.hash END AS hash
	FROM audit_events e ORDER BY e.id`

// copyTable copies one table by COPY, each value converted to its
// PostgreSQL column's type; a SQLite column with no PostgreSQL column is
// refused.
func copyTable(ctx context.Context, rtx *sql.Tx, tx *wtx, table string, cols []column) (int64, error) {
	q := `SELECT * FROM ` + table
	if table == "audit_events" {
		q = auditSource
	}
	rows, err := rtx.QueryContext(ctx, q)
	if err != nil {
		return 0, fmt.Errorf("postgres: read %s: %w", table, err)
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	byName := map[string]string{}
	for _, c := range cols {
		byName[c.name] = c.typ
	}
	dest := make([]string, len(names))
	for i, n := range names {
		typ, ok := byName[n]
		if !ok {
			return 0, indicators.FieldError(indicators.EINVALID, "",
				fmt.Sprintf("cột %s.%s của SQLite chưa có trong PostgreSQL: hãy dùng bản chitieu mới hơn", table, n),
				fmt.Sprintf("SQLite's column %s.%s is not in PostgreSQL yet: use a newer chitieu", table, n))
		}
		dest[i] = typ
	}
	target := names
	atCol, prevCol, hashCol := -1, -1, -1
	prev := ""
	if table == "audit_events" {
		atCol, prevCol, hashCol = slices.Index(names, "at"), slices.Index(names, "prev_hash"), slices.Index(names, "hash")
		target = append(slices.Clone(names), "at_ns")
	}
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(names))
		ptrs := make([]any, len(names))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return 0, fmt.Errorf("postgres: read %s: %w", table, err)
		}
		row := make([]any, 0, len(target))
		for i, v := range vals {
			c, err := convert(v, dest[i])
			if err != nil {
				return 0, fmt.Errorf("postgres: %s.%s: %w", table, names[i], err)
			}
			row = append(row, c)
		}
		if atCol >= 0 {
			at := parseTime(vals[atCol].(string))
			row[atCol] = at.Truncate(time.Microsecond)
			row = append(row, at.Nanosecond()%1000)
			// Rows come by id: the previous hash is the row before's.
			h, _ := vals[hashCol].(string)
			row[prevCol], prev = prev, h
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("postgres: read %s: %w", table, err)
	}
	if len(out) == 0 {
		return 0, nil
	}
	if table == "meta" {
		// The audit key's fingerprint was recorded when db was opened.
		out = slices.DeleteFunc(out, func(r []any) bool { return r[0] == "audit_key" })
	}
	n, err := tx.CopyFrom(ctx, pgx.Identifier{table}, target, pgx.CopyFromRows(out))
	if err != nil {
		return 0, fmt.Errorf("postgres: copy %s: %w", table, err)
	}
	return n, nil
}

// convert turns a SQLite value into one for a PostgreSQL column of type
// typ: SQLite keeps moments as fixed-width text, days as YYYY-MM-DD, none
// as ”, flags as 0/1 and lists as JSON.
func convert(v any, typ string) (any, error) {
	s, isText := v.(string)
	switch typ {
	case "timestamp with time zone":
		if !isText || s == "" {
			return nil, nil
		}
		t, err := time.Parse(timeLayout, s)
		if err != nil {
			return nil, fmt.Errorf("moment %q: %w", s, err)
		}
		return t.Truncate(time.Microsecond), nil
	case "date":
		if !isText || s == "" {
			return nil, nil
		}
		t, err := time.Parse(indicators.DateLayout, s)
		if err != nil {
			return nil, fmt.Errorf("day %q: %w", s, err)
		}
		return pgtype.Date{Time: t, Valid: true}, nil
	case "boolean":
		n, ok := v.(int64)
		return ok && n != 0, nil
	case "array of _int4":
		out := []int32{}
		if isText && s != "" {
			if err := json.Unmarshal([]byte(s), &out); err != nil {
				return nil, fmt.Errorf("list %q: %w", s, err)
			}
		}
		return out, nil
	case "array of _text":
		out := []string{}
		if isText && s != "" {
			if err := json.Unmarshal([]byte(s), &out); err != nil {
				return nil, fmt.Errorf("list %q: %w", s, err)
			}
		}
		return out, nil
	}
	return v, nil
}
