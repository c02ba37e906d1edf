package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"chitieu/indicators"

	"github.com/jackc/pgx/v5"
)

var _ indicators.ValueStream = (*DB)(nil)

// notPendingV leaves out the values of a batch still being committed,
// which no reader may see, on data_values aliased v.
const notPendingV = `(v.batch IS NULL OR NOT EXISTS (SELECT 1 FROM import_pending p WHERE p.batch = v.batch))`

// valueWhere turns a value filter into the FROM and WHERE clauses of a
// query over data_values v, with the batch b joined for its file name and
// join added (units u, when the query needs the unit's scope).
func valueWhere(f indicators.ValueFilter, join string) (string, args) {
	var a args
	q := ` FROM data_values v` + join + ` LEFT JOIN batches b ON b.id = v.batch WHERE ` + notPendingV
	if f.Indicator != "" {
		q += ` AND v.indicator = ` + a.add(f.Indicator)
	}
	if len(f.Units) > 0 {
		q += ` AND v.unit = ANY(` + a.add(f.Units) + `)`
	}
	if f.UnitKind != "" {
		q += ` AND v.unit IN (SELECT code FROM units WHERE kind = ` + a.add(string(f.UnitKind)) + `)`
	}
	if f.Batch != 0 {
		q += ` AND v.batch = ` + a.add(f.Batch)
	}
	if f.YearsOnly {
		q += ` AND length(v.period) = 4` // a year is written "2024"; its parts are longer
	}
	if !f.EnteredBy.IsZero() {
		q += ` AND v.entered_at <= ` + a.add(f.EnteredBy.UTC())
	}
	return q, a
}

// valueColumns are a value's columns as scanValue reads them.
const valueColumns = `v.id, v.indicator, v.unit, v.period, v.type, v.value, v.high, v.note, v.source,
	COALESCE(v.batch, 0), COALESCE(b.file_name, ''), v.sheet, v.cell, v.entered_by, v.entered_at, v.retracted_at`

func scanValue(r pgx.Row, extra ...any) (indicators.Value, error) {
	var v indicators.Value
	var period string
	var retracted *time.Time
	if err := r.Scan(append([]any{&v.ID, &v.Indicator, &v.Unit, &period, &v.Type, &v.Value, &v.High, &v.Note, &v.Source,
		&v.Batch, &v.File, &v.Sheet, &v.Cell, &v.EnteredBy, &v.EnteredAt, &retracted}, extra...)...); err != nil {
		return v, fmt.Errorf("postgres: scan value: %w", err)
	}
	var err error
	if v.Period, err = indicators.ParsePeriod(period); err != nil {
		return v, fmt.Errorf("postgres: value %d has period %q: %w", v.ID, period, err)
	}
	v.EnteredAt, v.RetractedAt = v.EnteredAt.UTC(), timeOf(retracted)
	return v, nil
}

// Values returns the values f selects, oldest first, each with the scope of
// its unit and marked Superseded when another value of its key was current
// at f.EnteredBy (now when zero) or it was retracted by then.
func (db *DB) Values(ctx context.Context, f indicators.ValueFilter) ([]indicators.Value, error) {
	where, a := valueWhere(f, ` JOIN units u ON u.code = v.unit`)
	at := f.EnteredBy
	if at.IsZero() {
		at = db.now()
	}
	rows, err := db.pool.Query(ctx, `SELECT `+valueColumns+`, u.scope`+where+
		` ORDER BY v.indicator COLLATE "C", v.unit COLLATE "C", v.year, v.period COLLATE "C", v.type COLLATE "C", v.entered_at, v.id`, a...)
	if err != nil {
		return nil, fmt.Errorf("postgres: list values: %w", err)
	}
	defer rows.Close()
	var out []indicators.Value
	for rows.Next() {
		var scope indicators.Scope
		v, err := scanValue(rows, &scope)
		if err != nil {
			return nil, err
		}
		v.Scope = scope
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list values: %w", err)
	}
	current := map[int64]bool{}
	for _, v := range indicators.Current(out, at) {
		current[v.ID] = true
	}
	for i := range out {
		out[i].Superseded = !current[out[i].ID]
	}
	return out, nil
}

// CountValues counts the values f selects.
func (db *DB) CountValues(ctx context.Context, f indicators.ValueFilter) (int, error) {
	where, a := valueWhere(f, "")
	var n int
	if err := db.pool.QueryRow(ctx, `SELECT COUNT(*)`+where, a...).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count values: %w", err)
	}
	return n, nil
}

// EachValue streams the values f selects to fn in the order they were
// stored (by ID), each marked Superseded as Values marks it at f.EnteredBy
// (now when zero). A window function finds, in the database, the values
// another of their key had replaced at that moment, so the stream holds
// one row at a time.
func (db *DB) EachValue(ctx context.Context, f indicators.ValueFilter, fn func(indicators.Value) error) error {
	at := f.EnteredBy
	if at.IsZero() {
		at = db.now()
	}
	where, a := valueWhere(f, ` JOIN units u ON u.code = v.unit`)
	atArg := a.add(at.UTC())
	// A value is in force at the moment when it is known then (entered by
	// it, not retracted by it) and no newer known value of its key exists.
	inForce := `(v.entered_at <= ` + atArg + ` AND (v.retracted_at IS NULL OR v.retracted_at > ` + atArg + `)
		AND NOT EXISTS (SELECT 1 FROM data_values w WHERE w.indicator = v.indicator AND w.unit = v.unit
			AND w.period = v.period AND w.type = v.type AND w.entered_at <= ` + atArg + `
			AND (w.retracted_at IS NULL OR w.retracted_at > ` + atArg + `)
			AND (w.batch IS NULL OR NOT EXISTS (SELECT 1 FROM import_pending p WHERE p.batch = w.batch))
			AND (w.entered_at > v.entered_at OR (w.entered_at = v.entered_at AND w.id > v.id))))`
	tx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("postgres: stream values: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	rows, err := tx.Query(ctx, `SELECT `+valueColumns+`, u.scope, `+inForce+where+` ORDER BY v.id`, a...)
	if err != nil {
		return fmt.Errorf("postgres: stream values: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var scope indicators.Scope
		var current bool
		v, err := scanValue(rows, &scope, &current)
		if err != nil {
			return err
		}
		v.Scope, v.Superseded = scope, !current
		if err := fn(v); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: stream values: %w", err)
	}
	return nil
}

// heldValue is the value in force for a key.
type heldValue struct {
	id    int64
	value float64
}

// held returns the value in force for k inside tx: the newest not
// retracted, leaving out the values of batches still being committed.
func held(ctx context.Context, tx *wtx, k indicators.Key) (heldValue, bool, error) {
	var h heldValue
	err := tx.QueryRow(ctx, `SELECT v.id, v.value FROM data_values v WHERE v.indicator = $1 AND v.unit = $2
		AND v.period = $3 AND v.type = $4 AND v.retracted_at IS NULL AND `+notPendingV+`
		ORDER BY v.entered_at DESC, v.id DESC LIMIT 1`, k.Indicator, k.Unit, k.Period.String(), k.Type).Scan(&h.id, &h.value)
	if errors.Is(err, pgx.ErrNoRows) {
		return h, false, nil
	}
	if err != nil {
		return h, false, fmt.Errorf("postgres: value in force for %s: %w", k, err)
	}
	return h, true, nil
}

// AddValues appends values in one transaction, with one audit event per
// value naming the value it supersedes, if any.
func (db *DB) AddValues(ctx context.Context, vs []indicators.Value) error {
	for i := range vs {
		if err := vs[i].Validate(); err != nil {
			return fmt.Errorf("value %d (%s): %w", i+1, vs[i].Key, err)
		}
	}
	actor := indicators.ActorFrom(ctx)
	return db.writeTx(ctx, func(tx *wtx) error {
		groups := map[string]int{}
		groupOf := func(ind string) (int, bool, error) {
			if g, ok := groups[ind]; ok {
				return g, true, nil
			}
			var g int
			err := tx.QueryRow(ctx, `SELECT grp FROM indicators WHERE code = $1`, ind).Scan(&g)
			if errors.Is(err, pgx.ErrNoRows) {
				return 0, false, nil
			}
			if err != nil {
				return 0, false, fmt.Errorf("postgres: find task group of %s: %w", ind, err)
			}
			groups[ind] = g
			return g, true, nil
		}
		checkLock := lockCheck(ctx, tx)
		ids := make([]int64, 0, len(vs))
		for i := range vs {
			v := &vs[i]
			if v.EnteredAt.IsZero() {
				v.EnteredAt = db.now()
			}
			if v.EnteredBy == "" {
				v.EnteredBy = actor.User
			}
			if err := mayWriteValue(actor, groupOf, v); err != nil {
				return err
			}
			if err := checkLock(v); err != nil {
				return err
			}
			prev, hadPrev, err := held(ctx, tx, v.Key)
			if err != nil {
				return err
			}
			if err := insertValue(ctx, tx, v); err != nil {
				return err
			}
			key := v.Indicator + "/" + v.Unit + "/" + v.Period.String() + "/" + string(v.Type)
			ev := indicators.AuditEvent{Action: "value.add", Object: "value:" + strconv.FormatInt(v.ID, 10) + ":" + key,
				Batch: v.Batch, After: jsonOf(valueAudit(v))}
			if hadPrev {
				ev.Before = jsonOf(map[string]any{"id": prev.id, "value": prev.value})
			}
			if err := tx.audit(ctx, ev); err != nil {
				return err
			}
			ids = append(ids, v.ID)
		}
		return resetTouched(ctx, tx, "values", `v.id = ANY($1)`, ids)
	})
}

// insertValue appends v and sets its ID.
func insertValue(ctx context.Context, tx *wtx, v *indicators.Value) error {
	var batch any
	if v.Batch != 0 {
		batch = v.Batch
	}
	err := tx.QueryRow(ctx, `INSERT INTO data_values (indicator, unit, period, year, type, value, high, note,
		source, batch, sheet, cell, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		RETURNING id`, v.Indicator, v.Unit, v.Period.String(), v.Period.Year, v.Type, v.Value, v.High, v.Note,
		v.Source, batch, v.Sheet, v.Cell, v.EnteredBy, nullTime(v.EnteredAt)).Scan(&v.ID)
	if isForeignKey(err) {
		return indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("số liệu %s: chỉ tiêu, đơn vị hoặc lô nhập không tồn tại", v.Key),
			fmt.Sprintf("value %s: the indicator, the unit or the batch does not exist", v.Key))
	}
	if err != nil {
		return fmt.Errorf("postgres: insert value %s: %w", v.Key, err)
	}
	return nil
}

func valueAudit(v *indicators.Value) map[string]any {
	m := map[string]any{"id": v.ID, "value": v.Value, "source": v.Source, "sheet": v.Sheet, "cell": v.Cell}
	if v.High != nil {
		m["high"] = *v.High
	}
	if v.Batch != 0 {
		m["batch"] = v.Batch
	}
	return m
}

// mayWriteValue refuses a value the actor a may not write, as the SQLite
// store does where every value is inserted.
func mayWriteValue(a indicators.Actor, groupOf func(indicator string) (int, bool, error), v *indicators.Value) error {
	if a.Role == "" || a.Role == indicators.Admin {
		return nil
	}
	group, known, err := groupOf(v.Indicator)
	if err != nil {
		return err
	}
	if !known {
		return nil // the insert names the missing indicator
	}
	if a.MayWrite(v.Unit, group) {
		return nil
	}
	if a.Role != indicators.Planner {
		return indicators.FieldError(indicators.EFORBIDDEN, "unit",
			fmt.Sprintf("vai trò %s không được nhập số liệu (chỉ tiêu %s, đơn vị %s)", a.Role, v.Indicator, v.Unit),
			fmt.Sprintf("role %s may not enter values (indicator %s, unit %s)", a.Role, v.Indicator, v.Unit))
	}
	u := indicators.User{Role: a.Role, Units: a.Units, Groups: a.Groups}
	return indicators.FieldError(indicators.EFORBIDDEN, "unit",
		fmt.Sprintf("%s không được nhập số liệu chỉ tiêu %s (nhóm nhiệm vụ %d) của đơn vị %s: ngoài phạm vi được giao (%s)",
			a.User, v.Indicator, group, v.Unit, u.ScopeText("vi")),
		fmt.Sprintf("%s may not enter values of indicator %s (task group %d) for unit %s: outside their scope (%s)",
			a.User, v.Indicator, group, v.Unit, u.ScopeText("en")))
}
