package indicators

import (
	"context"
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
}
