package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"chitieu/indicators"
)

// maxHeld bounds the values in force that an import or a preview keeps in
// memory to compare readings with. The values of an indicator and unit are
// loaded all at once, the first time one of their keys is met (one query
// per pair, as a long table meets the pairs over and over); once maxHeld
// values are held, a pair met for the first time is looked up key by key
// through the index on (indicator, unit, period, type) instead. An
// import's keys are unique, so either way each reading meets the value the
// database held when the import began. Without the bound, importing again
// a file of a million unchanged values held a million values in maps and
// peaked at 329 MB; 100,000 held values cost about 12 MB.
const maxHeld = 100_000

// heldOne looks up the value in force of one key with a statement
// prepared, on first use, in the transaction or snapshot q; the statement
// is closed with it.
type heldOne struct {
	stmt *sql.Stmt
}

func (o *heldOne) get(ctx context.Context, q queryer, k indicators.Key, exclude int64) (heldValue, bool, error) {
	if o.stmt == nil {
		stmt, err := q.PrepareContext(ctx, `SELECT id, value, high FROM data_values
			WHERE indicator = ? AND unit = ? AND period = ? AND type = ? AND retracted_at = ''
			AND (? = 0 OR batch IS NULL OR batch <> ?)
			ORDER BY entered_at DESC, id DESC LIMIT 1`)
		if err != nil {
			return heldValue{}, false, fmt.Errorf("sqlite: prepare the lookup of a value in force: %w", err)
		}
		o.stmt = stmt
	}
	var h heldValue
	var high sql.NullFloat64
	err := o.stmt.QueryRowContext(ctx, k.Indicator, k.Unit, periodText(k.Period), string(k.Type), exclude, exclude).
		Scan(&h.id, &h.value, &high)
	if err == sql.ErrNoRows {
		return heldValue{}, false, nil
	}
	if err != nil {
		return heldValue{}, false, fmt.Errorf("sqlite: value in force of %s: %w", k, err)
	}
	if high.Valid {
		h.high = &high.Float64
	}
	return h, true, nil
}
