package indicators

import "fmt"

// Role is what a user may do.
type Role string

// Roles.
const (
	Admin   Role = "admin"   // manages users, plans, units, settings and backups
	Planner Role = "planner" // uploads and changes values, within their scope
	Leader  Role = "leader"  // reads dashboards
	Auditor Role = "auditor" // reads, exports, reads the audit trail
)

// Roles lists every role.
var Roles = []Role{Admin, Planner, Leader, Auditor}

// Validate checks the role is one of the four.
func (r Role) Validate() error {
	switch r {
	case Admin, Planner, Leader, Auditor:
		return nil
	}
	return FieldError(EINVALID, "role", fmt.Sprintf("vai trò %q không hợp lệ (admin, planner, leader, auditor)", r),
		fmt.Sprintf("role %q is not valid (admin, planner, leader, auditor)", r))
}
