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

// Locks returns the periods locked now, for the importers' preview.
func (db *DB) Locks(ctx context.Context) (indicators.Locks, error) {
	return loadLocks(ctx, db.pool, db.now)
}

// loadLocks returns, for each indicator, unit and period that a locked
// submission covers, that submission: approved, past its cut-off, not
// unlocked. The lock is checked where every value is written (AddValues,
// WriteCommit), so that no path — an upload, the plan workbook, the API —
// goes around it.
func loadLocks(ctx context.Context, q querier, now func() time.Time) (indicators.Locks, error) {
	approved, err := querySubmissions(ctx, q, `SELECT `+submissionColumns+` FROM submissions
		WHERE state = 'approved' AND unlocked_at IS NULL`)
	if err != nil {
		return nil, err
	}
	at := now()
	out := indicators.Locks{}
	for _, s := range approved {
		if !s.Locked(at) {
			continue
		}
		rows, err := q.Query(ctx, planIndicatorsWhere, s.Plan)
		if err != nil {
			return nil, fmt.Errorf("postgres: indicators of plan %s: %w", s.Plan, err)
		}
		codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, fmt.Errorf("postgres: indicators of plan %s: %w", s.Plan, err)
		}
		for _, code := range codes {
			out[indicators.LockKey{Indicator: code, Unit: s.Unit, Period: s.Period.String()}] = s
		}
	}
	return out, nil
}

// lockCheck returns a check that refuses a value whose period is locked,
// naming its cell; the locks are read through tx on the first value.
func lockCheck(ctx context.Context, tx *wtx) func(v *indicators.Value) error {
	var locks indicators.Locks
	return func(v *indicators.Value) error {
		if locks == nil {
			l, err := loadLocks(ctx, tx, tx.db.now)
			if err != nil {
				return err
			}
			locks = l
		}
		if s, ok := locks.Locked(v.Key); ok {
			return indicators.LockedError(s, v.Key, v.Sheet, v.Cell)
		}
		return nil
	}
}

// touchedBy is the condition, on a submission s, that a value v chosen by
// the caller's condition changes what s covers: same unit and period, and
// an indicator of the plan's targets.
const touchedBy = `EXISTS (SELECT 1 FROM data_values v WHERE %s AND v.unit = s.unit AND v.period = s.period
	AND v.indicator IN (SELECT t.indicator FROM targets t JOIN plans p ON p.id = t.plan WHERE p.id = s.plan OR p.parent = s.plan))`

// resetTouched sets back to draft every submitted or approved submission
// whose figures the values of valueCond (on data_values v, its parameter
// $1) changed, with an audit event each: figures changed after submission
// were not the ones submitted, nor approved. A locked one never gets
// here: its values were refused.
func resetTouched(ctx context.Context, tx *wtx, why, valueCond string, arg any) error {
	touched, err := querySubmissions(ctx, tx, `SELECT `+submissionColumns+` FROM submissions s
		WHERE s.state IN ('submitted', 'approved') AND `+fmt.Sprintf(touchedBy, valueCond)+` ORDER BY s.id`, arg)
	if err != nil {
		return fmt.Errorf("postgres: submissions touched: %w", err)
	}
	for _, before := range touched {
		after := before
		after.State = indicators.Draft
		if err := saveSubmission(ctx, tx, &after); err != nil {
			return err
		}
		a := submissionAudit(after)
		a["why"] = why
		if err := tx.audit(ctx, indicators.AuditEvent{Action: "submission.draft",
			Object: "submission:" + before.SubmissionKey.String(), Before: jsonOf(submissionAudit(before)), After: jsonOf(a)}); err != nil {
			return err
		}
	}
	return nil
}

// refuseApprovedRollback refuses the rollback of a batch with a value that
// an approval covers: the head of the unit approved those figures.
func refuseApprovedRollback(ctx context.Context, tx *wtx, batch int64) error {
	var plan, unit, period, by string
	err := tx.QueryRow(ctx, `SELECT s.plan, s.unit, s.period, s.decided_by FROM submissions s
		WHERE s.state = 'approved' AND `+fmt.Sprintf(touchedBy, `v.batch = $1 AND v.retracted_at IS NULL AND v.entered_at <= s.decided_at`)+
		` LIMIT 1`, batch).Scan(&plan, &unit, &period, &by)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("postgres: approvals of batch %d: %w", batch, err)
	}
	p, _ := indicators.ParsePeriod(period)
	id := strconv.FormatInt(batch, 10)
	return indicators.FieldError(indicators.ECONFLICT, "batch",
		fmt.Sprintf("không hoàn tác được lô #%s: số liệu của đơn vị %s, %s trong lô đã được %s phê duyệt; hãy nhập lô sửa thay vì hoàn tác", id, unit, p.Label("vi"), by),
		fmt.Sprintf("batch #%s cannot be rolled back: its values of unit %s, %s were approved by %s; import a correcting batch instead", id, unit, p.Label("en"), by))
}
