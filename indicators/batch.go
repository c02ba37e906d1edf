package indicators

import (
	"context"
	"slices"
	"time"
)

// BatchState is where an import batch stands.
type BatchState string

// Batch states.
const (
	Previewed  BatchState = "previewed"   // parsed and shown; nothing stored yet
	Committed  BatchState = "committed"   // its values are stored
	RolledBack BatchState = "rolled_back" // its values are retracted
)

// Batch is one uploaded file and what became of it (lô nhập).
type Batch struct {
	ID           int64
	FileName     string
	SHA256       string // of the file's bytes; the file is kept under it
	Size         int64
	State        BatchState
	Profile      string // mapping profile used, if any
	Unit         string // unit the file speaks for, if one
	Locale       string // vi or en: how text numbers were read
	New          int    // values the batch adds for keys with no value yet
	Changed      int    // values that supersede a different one
	Unchanged    int    // values equal to the current ones, not stored again
	Rejected     int    // cells refused
	CreatedBy    string
	CreatedAt    time.Time
	CommittedAt  time.Time
	RolledBackAt time.Time
	RolledBackBy string
}

// BatchFilter selects batches; zero fields select all.
type BatchFilter struct {
	From, To time.Time // created within
	State    BatchState
	User     string
}

// BatchReader reads import batches.
type BatchReader interface {
	Batches(ctx context.Context, f BatchFilter) ([]Batch, error)
	Batch(ctx context.Context, id int64) (Batch, error)
	// BatchScope returns the units and task groups of the values a batch
	// stored (retracted ones included): what it speaks for. A batch not
	// committed yet has stored none.
	BatchScope(ctx context.Context, id int64) (BatchScope, error)
}

// BatchScope is what a batch's values speak for: their units and the task
// groups of their indicators, each listed once.
type BatchScope struct {
	Units  []string
	Groups []int
}

// MayReadBatch reports whether u may see batch b, sc being its scope, and
// download the file it was made from. Admins and auditors read every
// batch; leaders none, since they read the dashboards; a planner reads
// their own uploads and the batches they could have made themselves:
// every value within their units and task groups. A batch that stored no
// values yet (previewed) is judged by the unit it was read for, which must
// be one of theirs, and only for a planner not limited to task groups,
// since which groups it touches is not known before it is committed.
func (u *User) MayReadBatch(b Batch, sc BatchScope) bool {
	switch u.Role {
	case Admin, Auditor:
		return true
	case Planner:
	default:
		return false
	}
	if b.CreatedBy == u.Name || len(u.Units) == 0 && len(u.Groups) == 0 {
		return true
	}
	if len(sc.Units) == 0 && len(sc.Groups) == 0 {
		return b.Unit != "" && len(u.Groups) == 0 && slices.Contains(u.Units, b.Unit)
	}
	if len(u.Units) > 0 {
		for _, unit := range sc.Units {
			if !slices.Contains(u.Units, unit) {
				return false
			}
		}
	}
	if len(u.Groups) > 0 {
		for _, g := range sc.Groups {
			if !slices.Contains(u.Groups, g) {
				return false
			}
		}
	}
	return true
}
