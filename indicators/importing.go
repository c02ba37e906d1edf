package indicators

import (
	"context"
	"io"
	"time"
)

// Reading is one value found in an uploaded file, with the sheet and cell
// it was read from. An import turns a file into readings; the store
// classifies each against the values in force.
type Reading struct {
	Key
	Value float64
	High  *float64 // upper end of a planned range ("7,5–8")
	Note  string
	Sheet string
	Cell  string
}

// ChangeKind says what a reading would do to the store.
type ChangeKind string

// Change kinds.
const (
	NewValue       ChangeKind = "new"       // no value in force for the key yet
	ChangedValue   ChangeKind = "changed"   // supersedes a different value
	UnchangedValue ChangeKind = "unchanged" // equal to the value in force: not stored again
)

// Change is a reading classified against the value in force for its key.
type Change struct {
	Kind ChangeKind
	Reading
	OldID   int64    // the value in force, when there is one
	Old     float64  // its number
	OldHigh *float64 // its upper end, for ranges
}

// ImportCounts counts the readings of an import by what they do.
type ImportCounts struct {
	New, Changed, Unchanged int
}

// Stored reports whether the import writes anything.
func (c ImportCounts) Stored() bool { return c.New+c.Changed > 0 }

// StagedBatch is a batch with what is needed to commit it later exactly as
// it was previewed: the mapping profile as it stood, the digest of the
// previewed changes and how many rows were read.
type StagedBatch struct {
	Batch
	ProfileJSON string // the mapping profile used, as JSON
	Digest      string // SHA-256 over the previewed changes, in order
	Rows        int    // rows read from the file
	// Warnings counts the plausibility warnings of the batch; ConfirmNote
	// is the planner's note confirming them, kept in the commit's audit
	// event.
	Warnings    int
	ConfirmNote string
}

// HeldValue is the value in force for a key, as an import classifies a
// reading against it.
type HeldValue struct {
	ID    int64
	Value float64
	High  *float64
}

// RollbackResult says what undoing a batch did.
type RollbackResult struct {
	Batch     Batch
	Retracted int // values of the batch taken back
	Restored  int // keys whose earlier value is in force again
	Removed   int // keys left with no value, as before the batch
	Kept      int // keys where a later value stays in force
}

// ImportProfile is a stored mapping profile: a JSON document, which the
// importers package reads, under a name.
type ImportProfile struct {
	Name      string
	Shape     string // wide or long
	JSON      string
	UpdatedBy string
	UpdatedAt time.Time
}

// ImportStore is what importing needs of persistence beyond Store.
type ImportStore interface {
	// HeldValues returns the values in force of one indicator and unit, by
	// key, in one short read.
	HeldValues(ctx context.Context, indicator, unit string) (map[Key]HeldValue, error)
	// BeginCommit starts the commit of a previewed batch (b.ID set), or of
	// one it makes from b and file, and returns it with the moment its
	// values carry. Until FinishCommit or AbortCommit the batch is pending:
	// its values are written but no reader sees them.
	BeginCommit(ctx context.Context, b StagedBatch, file io.Reader) (StagedBatch, error)
	// WriteCommit stores a chunk of a pending batch's new and changed
	// values, with an audit event each, in one short transaction.
	WriteCommit(ctx context.Context, b StagedBatch, changes []Change) error
	// FinishCommit makes a pending batch committed, with the counts of b:
	// all of its values become visible at once.
	FinishCommit(ctx context.Context, b StagedBatch) (StagedBatch, error)
	// AbortCommit withdraws the values of a pending batch, which returns to
	// previewed; reason goes into the audit event.
	AbortCommit(ctx context.Context, id int64, reason string) error
	// StageBatch records a previewed batch and keeps its file, storing no
	// value, so that the batch can be committed later.
	StageBatch(ctx context.Context, b StagedBatch, file io.Reader) (StagedBatch, error)
	// StagedBatch returns a batch with its staging details.
	StagedBatch(ctx context.Context, id int64) (StagedBatch, error)
	// RollbackBatch retracts every value of a committed batch, so that the
	// values it replaced are in force again.
	RollbackBatch(ctx context.Context, id int64) (RollbackResult, error)
	// BatchFile writes the original file of a batch to w.
	BatchFile(ctx context.Context, id int64, w io.Writer) (Batch, error)
	// BatchesOfFile returns the batches of a file, by its SHA-256.
	BatchesOfFile(ctx context.Context, sha256 string) ([]Batch, error)

	SaveProfile(ctx context.Context, p ImportProfile) error
	Profiles(ctx context.Context) ([]ImportProfile, error)
	Profile(ctx context.Context, name string) (ImportProfile, error)
	// RenameProfile and DeleteProfile manage the stored profiles; the
	// batches keep the profile they were read with.
	RenameProfile(ctx context.Context, from, to string) error
	DeleteProfile(ctx context.Context, name string) error
}
