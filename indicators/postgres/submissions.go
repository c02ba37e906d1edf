package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"chitieu/indicators"

	"github.com/jackc/pgx/v5"
)

var _ indicators.SubmissionStore = (*DB)(nil)

// The reporting cycle's files each add their own words and tables here
// rather than in the shared literals of postgres.go and fromsqlite.go: the
// name of a submission in not-found messages, and the approval's tables
// for migrate-store (after plans, units and targets, which they reference).
func init() {
	whatVI["submission"] = "kỳ báo cáo"
	copiedTables = append(copiedTables, "submissions", "explanations")
}

const submissionColumns = `id, plan, unit, period, state, note, value_count, submitted_by, submitted_at,
	decided_by, decided_at, unlocked_by, unlocked_at, unlock_reason`

func scanSubmission(r pgx.Row) (indicators.Submission, error) {
	var sub indicators.Submission
	var period string
	var submittedAt, decidedAt, unlockedAt *time.Time
	err := r.Scan(&sub.ID, &sub.Plan, &sub.Unit, &period, &sub.State, &sub.Note, &sub.Values, &sub.SubmittedBy,
		&submittedAt, &sub.DecidedBy, &decidedAt, &sub.UnlockedBy, &unlockedAt, &sub.UnlockReason)
	if err != nil {
		return sub, err
	}
	if sub.Period, err = indicators.ParsePeriod(period); err != nil {
		return sub, fmt.Errorf("postgres: submission %d has period %q: %w", sub.ID, period, err)
	}
	sub.SubmittedAt, sub.DecidedAt, sub.UnlockedAt = timeOf(submittedAt), timeOf(decidedAt), timeOf(unlockedAt)
	return sub, nil
}

// querySubmissions returns the submissions of a query over submissions.
func querySubmissions(ctx context.Context, q querier, query string, a ...any) ([]indicators.Submission, error) {
	rows, err := q.Query(ctx, query, a...)
	if err != nil {
		return nil, fmt.Errorf("postgres: list submissions: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (indicators.Submission, error) { return scanSubmission(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: scan submission: %w", err)
	}
	return out, nil
}

// Submissions returns the submissions f selects, by plan, period and unit.
func (db *DB) Submissions(ctx context.Context, f indicators.SubmissionFilter) ([]indicators.Submission, error) {
	var a args
	q := `SELECT ` + submissionColumns + ` FROM submissions WHERE true`
	if f.Plan != "" {
		q += ` AND plan = ` + a.add(f.Plan)
	}
	if f.Period != nil {
		q += ` AND period = ` + a.add(f.Period.String())
	}
	if f.State != "" {
		q += ` AND state = ` + a.add(string(f.State))
	}
	if len(f.Units) > 0 {
		q += ` AND unit = ANY(` + a.add(f.Units) + `)`
	}
	return querySubmissions(ctx, db.pool, q+` ORDER BY plan COLLATE "C", period COLLATE "C", unit COLLATE "C"`, a...)
}

// Submission returns the submission of k, or ENOTFOUND.
func (db *DB) Submission(ctx context.Context, k indicators.SubmissionKey) (indicators.Submission, error) {
	return submissionOf(ctx, db.pool, k)
}

func submissionOf(ctx context.Context, q querier, k indicators.SubmissionKey) (indicators.Submission, error) {
	s, err := scanSubmission(q.QueryRow(ctx, `SELECT `+submissionColumns+` FROM submissions
		WHERE plan = $1 AND unit = $2 AND period = $3`, k.Plan, k.Unit, k.Period.String()))
	if errors.Is(err, pgx.ErrNoRows) {
		return indicators.Submission{SubmissionKey: k}, notFound("submission", k.String())
	}
	if err != nil {
		return s, fmt.Errorf("postgres: submission %s: %w", k, err)
	}
	return s, nil
}

// planIndicatorsWhere selects the indicators of plan $1's targets and of
// the plans beneath it (Resolution 59 sets its figures through them).
const planIndicatorsWhere = `SELECT DISTINCT t.indicator FROM targets t JOIN plans p ON p.id = t.plan
	WHERE p.id = $1 OR p.parent = $1`

// transition runs one transition of k in a write transaction: it reads the
// submission (zero when none), checks the rules, lets change set the new
// row, stores it and appends its audit event.
func (db *DB) transition(ctx context.Context, k indicators.SubmissionKey, act indicators.SubmissionAction, text string,
	change func(tx *wtx, s *indicators.Submission, at time.Time) error) (indicators.Submission, error) {
	var out indicators.Submission
	a := indicators.ActorFrom(ctx)
	err := db.writeTx(ctx, func(tx *wtx) error {
		var plans, units int
		if err := tx.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM plans WHERE id = $1), (SELECT COUNT(*) FROM units WHERE code = $2)`,
			k.Plan, k.Unit).Scan(&plans, &units); err != nil {
			return fmt.Errorf("postgres: find plan and unit of %s: %w", k, err)
		}
		if plans == 0 {
			return notFound("plan", k.Plan)
		}
		if units == 0 {
			return notFound("unit", k.Unit)
		}
		// FOR UPDATE: the head row already queues writers; this says which
		// row the transition changes.
		before, err := scanSubmission(tx.QueryRow(ctx, `SELECT `+submissionColumns+` FROM submissions
			WHERE plan = $1 AND unit = $2 AND period = $3 FOR UPDATE`, k.Plan, k.Unit, k.Period.String()))
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			before = indicators.Submission{SubmissionKey: k}
		case err != nil:
			return fmt.Errorf("postgres: submission %s: %w", k, err)
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
		return tx.audit(ctx, ev)
	})
	return out, err
}

func saveSubmission(ctx context.Context, tx *wtx, s *indicators.Submission) error {
	a := []any{string(s.State), s.Note, s.Values, s.SubmittedBy, nullTime(s.SubmittedAt), s.DecidedBy,
		nullTime(s.DecidedAt), s.UnlockedBy, nullTime(s.UnlockedAt), s.UnlockReason}
	if s.ID != 0 {
		if _, err := tx.Exec(ctx, `UPDATE submissions SET state = $1, note = $2, value_count = $3, submitted_by = $4,
			submitted_at = $5, decided_by = $6, decided_at = $7, unlocked_by = $8, unlocked_at = $9, unlock_reason = $10
			WHERE id = $11`, append(a, s.ID)...); err != nil {
			return fmt.Errorf("postgres: update submission %s: %w", s.SubmissionKey, err)
		}
		return nil
	}
	if err := tx.QueryRow(ctx, `INSERT INTO submissions (state, note, value_count, submitted_by, submitted_at,
		decided_by, decided_at, unlocked_by, unlocked_at, unlock_reason, plan, unit, period)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		append(a, s.Plan, s.Unit, s.Period.String())...).Scan(&s.ID); err != nil {
		return fmt.Errorf("postgres: insert submission %s: %w", s.SubmissionKey, err)
	}
	return nil
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
	return db.transition(ctx, k, indicators.ActSubmit, "", func(tx *wtx, s *indicators.Submission, at time.Time) error {
		var n int
		err := tx.QueryRow(ctx, `SELECT COUNT(DISTINCT (v.indicator, v.type)) FROM data_values v
			WHERE v.unit = $2 AND v.period = $3 AND v.retracted_at IS NULL AND `+notPendingV+`
			AND v.indicator IN (`+planIndicatorsWhere+`)`, k.Plan, k.Unit, k.Period.String()).Scan(&n)
		if err != nil {
			return fmt.Errorf("postgres: count values of %s: %w", k, err)
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
	return db.transition(ctx, k, act, note, func(_ *wtx, s *indicators.Submission, at time.Time) error {
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
	return db.transition(ctx, k, indicators.ActUnlock, reason, func(_ *wtx, s *indicators.Submission, at time.Time) error {
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
		rows, err := db.pool.Query(ctx, `SELECT DISTINCT p.id, t.indicator FROM plans p
			JOIN plans c ON c.id = p.id OR c.parent = p.id JOIN targets t ON t.plan = c.id`)
		if err != nil {
			return indicators.Approvals{}, fmt.Errorf("postgres: indicators of plans: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var plan, code string
			if err := rows.Scan(&plan, &code); err != nil {
				return indicators.Approvals{}, fmt.Errorf("postgres: indicators of plans: %w", err)
			}
			inds[plan] = append(inds[plan], code)
		}
		if err := rows.Err(); err != nil {
			return indicators.Approvals{}, fmt.Errorf("postgres: indicators of plans: %w", err)
		}
	}
	return indicators.NewApprovals(subs, inds), nil
}
