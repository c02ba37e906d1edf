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

// ImportRequest asks the store to classify a stream of readings against
// the values in force and, unless DryRun, to store the new and changed ones
// as one batch in one transaction.
type ImportRequest struct {
	// Batch describes the upload. With an ID it names a previewed batch to
	// commit; without, a committed batch is created.
	Batch  StagedBatch
	DryRun bool
	// File is the uploaded file, kept under its SHA-256 when committing.
	File io.Reader
	// Readings delivers the readings in file order; the store reads until
	// it is closed. No two readings share a key: the importer refuses such
	// a batch (from Finish), so the store need not remember every key.
	Readings <-chan []Reading
	// OnChange is called for every reading, in order, once classified.
	OnChange func(Change)
	// Finish is called after the last reading; an error from it (rejected
	// cells, a cancelled upload) undoes everything, and an import with
	// nothing new or changed stores nothing either.
	Finish func(ImportCounts) error
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
	// ApplyImport classifies the readings of req and, unless req.DryRun,
	// stores them as one batch with one audit event per batch and per
	// stored value. It returns the batch (ID 0 when nothing was stored).
	ApplyImport(ctx context.Context, req *ImportRequest) (StagedBatch, error)
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
}
