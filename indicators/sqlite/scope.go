package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"chitieu/indicators"
)

// mayWriteValue refuses a value the actor of ctx may not write: a planner's
// value outside their units or task groups, or any value from a leader or
// an auditor. The check sits where every value is inserted, so that no
// path — a form, the API, an import — can go around it.
func mayWriteValue(ctx context.Context, tx *sql.Tx, v *indicators.Value) error {
	a := indicators.ActorFrom(ctx)
	if a.Role == "" || a.Role == indicators.Admin {
		return nil
	}
	var group int
	err := tx.QueryRowContext(ctx, `SELECT grp FROM indicators WHERE code = ?`, v.Indicator).Scan(&group)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // the insert names the missing indicator
	}
	if err != nil {
		return fmt.Errorf("sqlite: find task group of %s: %w", v.Indicator, err)
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
