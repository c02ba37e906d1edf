package postgres

import (
	"context"
	"fmt"
	"strconv"

	"chitieu/indicators"

	"github.com/jackc/pgx/v5"
)

// RollbackBatch retracts every value of a committed batch from now on, so
// that for each key the value the batch replaced is in force again (unless
// a later value has replaced it since), with one audit event per retracted
// value and one for the batch, in one transaction. A planner may undo only
// a batch whose every value lies within their scope.
func (db *DB) RollbackBatch(ctx context.Context, id int64) (indicators.RollbackResult, error) {
	var res indicators.RollbackResult
	actor := indicators.ActorFrom(ctx)
	err := db.writeTx(ctx, func(tx *wtx) error {
		b, err := stagedBatch(ctx, tx, id)
		if err != nil {
			return err
		}
		if b.State != indicators.Committed {
			return indicators.FieldError(indicators.ECONFLICT, "",
				fmt.Sprintf("lô #%d đang ở trạng thái %s, chỉ hoàn tác được lô đã ghi", id, stateVI(b.State)),
				fmt.Sprintf("batch #%d is %s: only a committed batch can be rolled back", id, stateEN(b.State)))
		}
		if err := mayRollback(ctx, tx, actor, id); err != nil {
			return err
		}
		if err := refuseApprovedRollback(ctx, tx, id); err != nil {
			return err
		}
		at := db.now()
		// What is in force once the batch is gone, per indicator and unit,
		// read once each: the batch's keys are unique, so its own values
		// are simply left out.
		inForce := map[[2]string]map[indicators.Key]indicators.HeldValue{}
		type retracted struct {
			id    int64
			key   indicators.Key
			value float64
		}
		// A page of a few thousand values a statement: a batch may hold a
		// million.
		for after := int64(0); ; {
			rows, err := tx.Query(ctx, `UPDATE data_values SET retracted_at = $1 WHERE id IN (SELECT id FROM data_values
				WHERE batch = $2 AND retracted_at IS NULL AND id > $3 ORDER BY id LIMIT 5000)
				RETURNING id, indicator, unit, period, type, value`, at, id, after)
			if err != nil {
				return fmt.Errorf("postgres: retract values of batch %d: %w", id, err)
			}
			page, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (retracted, error) {
				var x retracted
				var period string
				if err := r.Scan(&x.id, &x.key.Indicator, &x.key.Unit, &period, &x.key.Type, &x.value); err != nil {
					return x, err
				}
				x.key.Period, err = indicators.ParsePeriod(period)
				return x, err
			})
			if err != nil {
				return fmt.Errorf("postgres: retract values of batch %d: %w", id, err)
			}
			if len(page) == 0 {
				break
			}
			events := make([][]any, 0, len(page))
			for _, r := range page {
				after = max(after, r.id)
				pair := [2]string{r.key.Indicator, r.key.Unit}
				held, ok := inForce[pair]
				if !ok {
					if held, err = heldValues(ctx, tx, r.key.Indicator, r.key.Unit, id); err != nil {
						return err
					}
					inForce[pair] = held
				}
				ev := indicators.AuditEvent{At: at, User: actor.User, Addr: actor.Addr, Action: "value.retract",
					Object: "value:" + strconv.FormatInt(r.id, 10) + ":" + r.key.String(),
					Before: jsonOf(map[string]any{"id": r.id, "value": r.value}), Batch: id, FileHash: b.SHA256}
				now, ok := held[r.key]
				switch {
				case !ok:
					res.Removed++
				case now.ID < r.id:
					res.Restored++
					ev.After = jsonOf(map[string]any{"id": now.ID, "value": now.Value})
				default:
					res.Kept++
					ev.After = jsonOf(map[string]any{"id": now.ID, "value": now.Value})
				}
				res.Retracted++
				tx.chain(&ev)
				events = append(events, eventRow(ev))
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"audit_events"}, eventColumns, pgx.CopyFromRows(events)); err != nil {
				return fmt.Errorf("postgres: copy audit events: %w", err)
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE batches SET state = 'rolled_back', rolled_back_at = $1, rolled_back_by = $2
			WHERE id = $3`, at, actor.User, id); err != nil {
			return fmt.Errorf("postgres: record rollback of batch %d: %w", id, err)
		}
		b.State, b.RolledBackAt, b.RolledBackBy = indicators.RolledBack, at, actor.User
		res.Batch = b.Batch
		if err := tx.appendEvent(ctx, indicators.AuditEvent{At: at, User: actor.User, Addr: actor.Addr, Action: "batch.rollback",
			Object: "batch:" + strconv.FormatInt(id, 10), Before: `{"state":"committed"}`,
			After: jsonOf(map[string]any{"state": b.State, "retracted": res.Retracted, "restored": res.Restored,
				"removed": res.Removed, "kept": res.Kept}), Batch: id, FileHash: b.SHA256}); err != nil {
			return err
		}
		return resetTouched(ctx, tx, "rollback:"+strconv.FormatInt(id, 10), `v.batch = $1`, id)
	})
	return res, err
}

// mayRollback refuses a planner the rollback of a batch with a value
// outside their units or task groups.
func mayRollback(ctx context.Context, tx *wtx, actor indicators.Actor, batch int64) error {
	rows, err := tx.Query(ctx, `SELECT DISTINCT v.unit, i.grp FROM data_values v
		JOIN indicators i ON i.code = v.indicator WHERE v.batch = $1 AND v.retracted_at IS NULL`, batch)
	if err != nil {
		return fmt.Errorf("postgres: scope of batch %d: %w", batch, err)
	}
	defer rows.Close()
	for rows.Next() {
		var unit string
		var group int
		if err := rows.Scan(&unit, &group); err != nil {
			return fmt.Errorf("postgres: scope of batch %d: %w", batch, err)
		}
		if !actor.MayWrite(unit, group) {
			return indicators.FieldError(indicators.EFORBIDDEN, "",
				fmt.Sprintf("lô #%d có số liệu của đơn vị %s, nhóm nhiệm vụ %d, ngoài phạm vi được giao cho %s", batch, unit, group, actor.User),
				fmt.Sprintf("batch #%d holds values of unit %s, task group %d, outside what %s may write", batch, unit, group, actor.User))
		}
	}
	return rows.Err()
}
