package indicators

import "fmt"

// Role is what a user may do.
type Role string

// Roles.
const (
	Admin   Role = "admin"   // manages users, plans, units, settings and backups
	Planner Role = "planner" // uploads and changes values, within their scope
	// Approver is the head of a unit (thủ trưởng đơn vị): approves or
	// returns what the unit's planners submit, within their units.
	Approver Role = "approver"
	Leader   Role = "leader"  // reads dashboards
	Auditor  Role = "auditor" // reads, exports, reads the audit trail
)

// Roles lists every role.
var Roles = []Role{Admin, Planner, Approver, Leader, Auditor}

// Validate checks the role is one of the five.
func (r Role) Validate() error {
	switch r {
	case Admin, Planner, Approver, Leader, Auditor:
		return nil
	}
	return FieldError(EINVALID, "role", fmt.Sprintf("vai trò %q không hợp lệ (admin, planner, approver, leader, auditor)", r),
		fmt.Sprintf("role %q is not valid (admin, planner, approver, leader, auditor)", r))
}
