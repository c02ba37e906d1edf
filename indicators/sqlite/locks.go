package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"chitieu/indicators"
)

// Locks returns the periods locked now, for the importers' preview.
func (db *DB) Locks(ctx context.Context) (indicators.Locks, error) {
	return loadLocks(ctx, db.read, db.now)
}

// loadLocks returns, for each indicator, unit and period that a locked
// submission covers, that submission: approved, past its cut-off, not
// unlocked. The lock sits where every value is inserted (addOver), so that
// no path — an upload, the plan workbook, the API — goes around it.
func loadLocks(ctx context.Context, q queryer, now func() time.Time) (indicators.Locks, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+submissionColumns+` FROM submissions
		WHERE state = 'approved' AND unlocked_at = ''`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: approved submissions: %w", err)
	}
	var locked []indicators.Submission
	at := now()
	for rows.Next() {
		s, err := scanSubmission(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: scan submission: %w", err)
		}
		if s.Locked(at) {
			locked = append(locked, s)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: approved submissions: %w", err)
	}
	out := indicators.Locks{}
	for _, s := range locked {
		rows, err := q.QueryContext(ctx, planIndicatorsWhere, s.Plan, s.Plan)
		if err != nil {
			return nil, fmt.Errorf("sqlite: indicators of plan %s: %w", s.Plan, err)
		}
		for rows.Next() {
			var code string
			if err := rows.Scan(&code); err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlite: indicators of plan %s: %w", s.Plan, err)
			}
			out[indicators.LockKey{Indicator: code, Unit: s.Unit, Period: s.Period.String()}] = s
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("sqlite: indicators of plan %s: %w", s.Plan, err)
		}
	}
	return out, nil
}

// checkLock refuses v when its period is locked, naming its cell.
func (w *valueWriter) checkLock(v *indicators.Value) error {
	if w.locks == nil {
		locks, err := loadLocks(w.ctx, w.lookup, w.db.now)
		if err != nil {
			return err
		}
		w.locks = locks
	}
	if len(w.locks) == 0 {
		return nil
	}
	if s, ok := w.locks.Locked(v.Key); ok {
		return indicators.LockedError(s, v.Key, v.Sheet, v.Cell)
	}
	return nil
}

// touchedBy is the condition, on a submission s, that a value v chosen by
// the caller's condition changes what s covers: same unit and period, and
// an indicator of the plan's targets.
const touchedBy = `EXISTS (SELECT 1 FROM data_values v WHERE %s AND v.unit = s.unit AND v.period = s.period
	AND v.indicator IN (SELECT t.indicator FROM targets t JOIN plans p ON p.id = t.plan WHERE p.id = s.plan OR p.parent = s.plan))`

// resetTouched sets back to draft every submitted or approved submission
// whose figures the values of valueCond (on data_values v) changed, with an
// audit event each: figures changed after submission were not the ones
// submitted, nor approved. A locked one never gets here: its values were
// refused.
func (db *DB) resetTouched(ctx context.Context, tx *sql.Tx, why, valueCond string, args ...any) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+submissionColumns+` FROM submissions s
		WHERE s.state IN ('submitted', 'approved') AND `+fmt.Sprintf(touchedBy, valueCond), args...)
	if err != nil {
		return fmt.Errorf("sqlite: submissions touched: %w", err)
	}
	var touched []indicators.Submission
	for rows.Next() {
		s, err := scanSubmission(rows)
		if err != nil {
			rows.Close()
			return fmt.Errorf("sqlite: scan submission: %w", err)
		}
		touched = append(touched, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: submissions touched: %w", err)
	}
	for _, before := range touched {
		after := before
		after.State = indicators.Draft
		if err := saveSubmission(ctx, tx, &after); err != nil {
			return err
		}
		a := submissionAudit(after)
		a["why"] = why
		if err := db.audit(ctx, tx, indicators.AuditEvent{Action: "submission.draft",
			Object: "submission:" + before.SubmissionKey.String(), Before: jsonOf(submissionAudit(before)), After: jsonOf(a)}); err != nil {
			return err
		}
	}
	return nil
}

// refuseApprovedRollback refuses the rollback of a batch with a value that
// an approval covers: the head of the unit approved those figures.
func refuseApprovedRollback(ctx context.Context, tx *sql.Tx, batch int64) error {
	var plan, unit, period, by string
	err := tx.QueryRowContext(ctx, `SELECT s.plan, s.unit, s.period, s.decided_by FROM submissions s
		WHERE s.state = 'approved' AND `+fmt.Sprintf(touchedBy, `v.batch = ? AND v.retracted_at = '' AND v.entered_at <= s.decided_at`)+
		` LIMIT 1`, batch).Scan(&plan, &unit, &period, &by)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sqlite: approvals of batch %d: %w", batch, err)
	}
	p, _ := indicators.ParsePeriod(period)
	id := strconv.FormatInt(batch, 10)
	return indicators.FieldError(indicators.ECONFLICT, "batch",
		fmt.Sprintf("không hoàn tác được lô #%s: số liệu của đơn vị %s, %s trong lô đã được %s phê duyệt; hãy nhập lô sửa thay vì hoàn tác", id, unit, p.Label("vi"), by),
		fmt.Sprintf("batch #%s cannot be rolled back: its values of unit %s, %s were approved by %s; import a correcting batch instead", id, unit, p.Label("en"), by))
}
