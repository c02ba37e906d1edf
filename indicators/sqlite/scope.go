package sqlite

import (
	"context"
	"fmt"

	"chitieu/indicators"
)

// mayWriteValue refuses a value the actor a may not write: a planner's
// value outside their units or task groups, or any value from a leader or
// an auditor. The check sits where every value is inserted, so that no
// path — a form, the API, an import — can go around it.
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

// indicatorGroup reads the task group of an indicator through q.
func indicatorGroup(ctx context.Context, q queryer, indicator string) (int, bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT grp FROM indicators WHERE code = ?`, indicator)
	if err != nil {
		return 0, false, fmt.Errorf("sqlite: find task group of %s: %w", indicator, err)
	}
	defer rows.Close()
	if !rows.Next() {
		return 0, false, rows.Err()
	}
	var g int
	if err := rows.Scan(&g); err != nil {
		return 0, false, fmt.Errorf("sqlite: find task group of %s: %w", indicator, err)
	}
	return g, true, nil
}
