package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"chitieu/indicators"
)

var _ indicators.SubmissionStore = (*DB)(nil)

const submissionColumns = `id, plan, unit, period, state, note, value_count, submitted_by, submitted_at,
	decided_by, decided_at, unlocked_by, unlocked_at, unlock_reason`

func scanSubmission(s interface{ Scan(...any) error }) (indicators.Submission, error) {
	var sub indicators.Submission
	var period, submittedAt, decidedAt, unlockedAt string
	err := s.Scan(&sub.ID, &sub.Plan, &sub.Unit, &period, &sub.State, &sub.Note, &sub.Values, &sub.SubmittedBy,
		&submittedAt, &sub.DecidedBy, &decidedAt, &sub.UnlockedBy, &unlockedAt, &sub.UnlockReason)
	if err != nil {
		return sub, err
	}
	if sub.Period, err = indicators.ParsePeriod(period); err != nil {
		return sub, fmt.Errorf("sqlite: submission %d has period %q: %w", sub.ID, period, err)
	}
	sub.SubmittedAt, sub.DecidedAt, sub.UnlockedAt = parseTime(submittedAt), parseTime(decidedAt), parseTime(unlockedAt)
	return sub, nil
}

// Submissions returns the submissions f selects, by plan, period and unit.
func (db *DB) Submissions(ctx context.Context, f indicators.SubmissionFilter) ([]indicators.Submission, error) {
	q := `SELECT ` + submissionColumns + ` FROM submissions WHERE (? = '' OR plan = ?) AND (? = '' OR period = ?)
		AND (? = '' OR state = ?)`
	period := ""
	if f.Period != nil {
		period = f.Period.String()
	}
	args := []any{f.Plan, f.Plan, period, period, string(f.State), string(f.State)}
	if len(f.Units) > 0 {
		q += ` AND unit IN (?` + strings.Repeat(", ?", len(f.Units)-1) + `)`
		for _, u := range f.Units {
			args = append(args, u)
		}
	}
	rows, err := db.read.QueryContext(ctx, q+` ORDER BY plan, period, unit`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list submissions: %w", err)
	}
	defer rows.Close()
	var out []indicators.Submission
	for rows.Next() {
		s, err := scanSubmission(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: scan submission: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Submission returns the submission of k, or ENOTFOUND.
func (db *DB) Submission(ctx context.Context, k indicators.SubmissionKey) (indicators.Submission, error) {
	return submissionOf(ctx, db.read, k)
}

type rowQueryer interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

func submissionOf(ctx context.Context, q rowQueryer, k indicators.SubmissionKey) (indicators.Submission, error) {
	s, err := scanSubmission(q.QueryRowContext(ctx, `SELECT `+submissionColumns+` FROM submissions
		WHERE plan = ? AND unit = ? AND period = ?`, k.Plan, k.Unit, k.Period.String()))
	if errors.Is(err, sql.ErrNoRows) {
		return indicators.Submission{SubmissionKey: k}, notFound("submission", k.String())
	}
	if err != nil {
		return s, fmt.Errorf("sqlite: submission %s: %w", k, err)
	}
	return s, nil
}

// planIndicatorsWhere selects the indicators of plan ?1's targets and of
// the plans beneath it (Resolution 59 sets its figures through them).
const planIndicatorsWhere = `SELECT DISTINCT t.indicator FROM targets t JOIN plans p ON p.id = t.plan
	WHERE p.id = ? OR p.parent = ?`

// transition runs one transition of k in a write transaction: it reads the
// submission (zero when none), checks the rules, lets change set the new
// row, stores it and appends its audit event.
func (db *DB) transition(ctx context.Context, k indicators.SubmissionKey, act indicators.SubmissionAction, text string,
	change func(tx *sql.Tx, s *indicators.Submission, at time.Time) error) (indicators.Submission, error) {
	var out indicators.Submission
	a := indicators.ActorFrom(ctx)
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM plans WHERE id = ?) + 2 * (SELECT COUNT(*) FROM units WHERE code = ?)`,
			k.Plan, k.Unit).Scan(&n); err != nil {
			return fmt.Errorf("sqlite: find plan and unit of %s: %w", k, err)
		}
		if n&1 == 0 {
			return notFound("plan", k.Plan)
		}
		if n&2 == 0 {
			return notFound("unit", k.Unit)
		}
		before, err := submissionOf(ctx, tx, k)
		if err != nil && indicators.ErrorCode(err) != indicators.ENOTFOUND {
			return err
		}
		at := db.now()
		if err := indicators.CheckTransition(before, act, a, text, at); err != nil {
			return err
		}
		after := before
		if err := change(tx, &after, at); err != nil {
			return err
		}
		if err := saveSubmission(ctx, tx, &after); err != nil {
			return err
		}
		out = after
		ev := indicators.AuditEvent{Action: "submission." + string(act), Object: "submission:" + k.String(),
			After: jsonOf(submissionAudit(after))}
		if before.ID != 0 {
			ev.Before = jsonOf(submissionAudit(before))
		}
		return db.audit(ctx, tx, ev)
	})
	return out, err
}

func saveSubmission(ctx context.Context, tx *sql.Tx, s *indicators.Submission) error {
	args := []any{string(s.State), s.Note, s.Values, s.SubmittedBy, fmtTime(s.SubmittedAt), s.DecidedBy,
		fmtTime(s.DecidedAt), s.UnlockedBy, fmtTime(s.UnlockedAt), s.UnlockReason}
	if s.ID != 0 {
		_, err := tx.ExecContext(ctx, `UPDATE submissions SET state = ?, note = ?, value_count = ?, submitted_by = ?,
			submitted_at = ?, decided_by = ?, decided_at = ?, unlocked_by = ?, unlocked_at = ?, unlock_reason = ?
			WHERE id = ?`, append(args, s.ID)...)
		if err != nil {
			return fmt.Errorf("sqlite: update submission %s: %w", s.SubmissionKey, err)
		}
		return nil
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO submissions (state, note, value_count, submitted_by, submitted_at,
		decided_by, decided_at, unlocked_by, unlocked_at, unlock_reason, plan, unit, period)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(args, s.Plan, s.Unit, s.Period.String())...)
	if err != nil {
		return fmt.Errorf("sqlite: insert submission %s: %w", s.SubmissionKey, err)
	}
	s.ID, err = res.LastInsertId()
	return err
}

func submissionAudit(s indicators.Submission) map[string]any {
	m := map[string]any{"state": s.State, "values": s.Values}
	if s.Note != "" {
		m["note"] = s.Note
	}
	if s.UnlockReason != "" {
		m["unlock_reason"] = s.UnlockReason
	}
	return m
}

// Submit submits the unit's values in force for the period: those of the
// indicators of the plan's targets. A period without any is refused.
func (db *DB) Submit(ctx context.Context, k indicators.SubmissionKey) (indicators.Submission, error) {
	return db.transition(ctx, k, indicators.ActSubmit, "", func(tx *sql.Tx, s *indicators.Submission, at time.Time) error {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT COUNT(DISTINCT v.indicator || '/' || v.type) FROM data_values v
			WHERE v.unit = ? AND v.period = ? AND v.retracted_at = '' AND `+notPendingV+`
			AND v.indicator IN (`+planIndicatorsWhere+`)`, k.Unit, k.Period.String(), k.Plan, k.Plan).Scan(&n)
		if err != nil {
			return fmt.Errorf("sqlite: count values of %s: %w", k, err)
		}
		if n == 0 {
			return indicators.FieldError(indicators.EINVALID, "period",
				fmt.Sprintf("đơn vị %s chưa có số liệu nào của kế hoạch cho %s để gửi", k.Unit, k.Period.Label("vi")),
				fmt.Sprintf("unit %s has no values of the plan for %s to submit", k.Unit, k.Period.Label("en")))
		}
		a := indicators.ActorFrom(ctx)
		*s = indicators.Submission{ID: s.ID, SubmissionKey: k, State: indicators.Submitted, Values: n,
			SubmittedBy: a.User, SubmittedAt: at}
		return nil
	})
}

// Decide approves or returns a submitted period.
func (db *DB) Decide(ctx context.Context, k indicators.SubmissionKey, approve bool, note string) (indicators.Submission, error) {
	act, state := indicators.ActReturn, indicators.Returned
	if approve {
		act, state = indicators.ActApprove, indicators.Approved
	}
	return db.transition(ctx, k, act, note, func(_ *sql.Tx, s *indicators.Submission, at time.Time) error {
		s.State, s.Note = state, strings.TrimSpace(note)
		s.DecidedBy, s.DecidedAt = indicators.ActorFrom(ctx).User, at
		// A new approval locks again what an admin unlocked.
		s.UnlockedBy, s.UnlockedAt, s.UnlockReason = "", time.Time{}, ""
		return nil
	})
}

// Unlock lifts the lock of an approved period past its cut-off; the values
// stay approved until a commit changes them.
func (db *DB) Unlock(ctx context.Context, k indicators.SubmissionKey, reason string) (indicators.Submission, error) {
	return db.transition(ctx, k, indicators.ActUnlock, reason, func(_ *sql.Tx, s *indicators.Submission, at time.Time) error {
		s.UnlockedBy, s.UnlockedAt, s.UnlockReason = indicators.ActorFrom(ctx).User, at, strings.TrimSpace(reason)
		return nil
	})
}

// Approvals returns every submission with the indicators of each plan.
func (db *DB) Approvals(ctx context.Context) (indicators.Approvals, error) {
	subs, err := db.Submissions(ctx, indicators.SubmissionFilter{})
	if err != nil {
		return indicators.Approvals{}, err
	}
	inds := map[string][]string{}
	if len(subs) > 0 {
		rows, err := db.read.QueryContext(ctx, `SELECT DISTINCT p.id, t.indicator FROM plans p
			JOIN plans c ON c.id = p.id OR c.parent = p.id JOIN targets t ON t.plan = c.id`)
		if err != nil {
			return indicators.Approvals{}, fmt.Errorf("sqlite: indicators of plans: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var plan, code string
			if err := rows.Scan(&plan, &code); err != nil {
				return indicators.Approvals{}, fmt.Errorf("sqlite: indicators of plans: %w", err)
			}
			inds[plan] = append(inds[plan], code)
		}
		if err := rows.Err(); err != nil {
			return indicators.Approvals{}, fmt.Errorf("sqlite: indicators of plans: %w", err)
		}
	}
	return indicators.NewApprovals(subs, inds), nil
}
