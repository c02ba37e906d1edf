package indicators

import (
	"context"
	"time"
)

// DataVersion identifies the state of the store: it changes with every
// write, because every write appends to the audit trail. Pages that cache
// what they computed from the store key the cache on it.
type DataVersion struct {
	ID int64     // the last audit event's ID; 0 for an empty store
	At time.Time // when that event was written; zero for an empty store
}

// Versioner reports the store's data version cheaply, for caches.
type Versioner interface {
	DataVersion(ctx context.Context) (DataVersion, error)
}
