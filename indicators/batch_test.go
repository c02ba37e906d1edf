package indicators

import "testing"

// A planner reads their own batches and those they could have made
// themselves; a batch not committed yet is judged by its unit alone.
func TestMayReadBatch(t *testing.T) {
	cu := []string{"CT-CU"}
	committed := Batch{ID: 1, CreatedBy: "p1", Unit: "CT-CU", State: Committed}
	mixed := BatchScope{Units: []string{"CT-CU", "916"}, Groups: []int{1}}
	ofCU := BatchScope{Units: cu, Groups: []int{1, 3}}
	previewed := Batch{ID: 2, CreatedBy: "p1", Unit: "CT-CU", State: Previewed}
	for _, tc := range []struct {
		name string
		u    User
		b    Batch
		sc   BatchScope
		want bool
	}{
		{"admin", User{Name: "a", Role: Admin}, committed, ofCU, true},
		{"auditor", User{Name: "k", Role: Auditor}, committed, ofCU, true},
		{"leader", User{Name: "l", Role: Leader}, committed, ofCU, false},
		{"author", User{Name: "p1", Role: Planner, Units: []string{"916"}}, committed, ofCU, true},
		{"planner of every unit", User{Name: "p", Role: Planner}, committed, mixed, true},
		{"planner of its unit", User{Name: "p", Role: Planner, Units: cu}, committed, ofCU, true},
		{"planner of another unit", User{Name: "p", Role: Planner, Units: []string{"916"}}, committed, ofCU, false},
		{"planner of one of its units", User{Name: "p", Role: Planner, Units: cu}, committed, mixed, false},
		{"planner of its groups", User{Name: "p", Role: Planner, Groups: []int{1, 3, 5}}, committed, ofCU, true},
		{"planner of one of its groups", User{Name: "p", Role: Planner, Groups: []int{1}}, committed, ofCU, false},
		{"previewed, planner of its unit", User{Name: "p", Role: Planner, Units: cu}, previewed, BatchScope{}, true},
		{"previewed, planner of another unit", User{Name: "p", Role: Planner, Units: []string{"916"}}, previewed, BatchScope{}, false},
		{"previewed, planner limited to groups", User{Name: "p", Role: Planner, Units: cu, Groups: []int{1}}, previewed, BatchScope{}, false},
		{"previewed without a unit", User{Name: "p", Role: Planner, Units: cu}, Batch{CreatedBy: "p1", State: Previewed}, BatchScope{}, false},
	} {
		if got := tc.u.MayReadBatch(tc.b, tc.sc); got != tc.want {
			t.Errorf("%s: MayReadBatch = %v, want %v", tc.name, got, tc.want)
		}
	}
}
