package dashboard

import (
	"context"
	"fmt"
	"sync"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// A planner sees only the batches within their scope (indicators.User.
// MayReadBatch); another's batch is answered as if it did not exist, so
// that its number tells nothing either.

// batchScopes remembers the scope of each batch whose values are settled
// (committed or rolled back: a rollback retracts values but keeps them),
// since reading it scans every value of the batch and the import page asks
// for it for every batch it lists to a limited planner.
type batchScopes struct {
	mu sync.Mutex
	at map[int64]indicators.BatchScope
}

// batchScopesKept bounds the memo; past it the memo starts again.
const batchScopesKept = 10000

// of returns the scope of b, from the memo when it is settled.
func (bs *batchScopes) of(ctx context.Context, r indicators.BatchReader, b indicators.Batch) (indicators.BatchScope, error) {
	settled := b.State == indicators.Committed || b.State == indicators.RolledBack
	if settled {
		bs.mu.Lock()
		sc, ok := bs.at[b.ID]
		bs.mu.Unlock()
		if ok {
			return sc, nil
		}
	}
	sc, err := r.BatchScope(ctx, b.ID)
	if err != nil || !settled {
		return sc, err
	}
	bs.mu.Lock()
	defer bs.mu.Unlock()
	if bs.at == nil || len(bs.at) >= batchScopesKept {
		bs.at = map[int64]indicators.BatchScope{}
	}
	bs.at[b.ID] = sc
	return sc, nil
}

// mayReadBatch reports whether u may see b and download its file.
func (s *Server) mayReadBatch(ctx context.Context, u indicators.User, b indicators.Batch) (bool, error) {
	switch {
	case u.Role != indicators.Planner:
		return u.MayReadBatch(b, indicators.BatchScope{}), nil
	case b.CreatedBy == u.Name || len(u.Units) == 0 && len(u.Groups) == 0:
		return true, nil // no need to read the scope
	}
	sc, err := s.scopes.of(ctx, s.batches, b)
	if err != nil {
		return false, err
	}
	return u.MayReadBatch(b, sc), nil
}

// readableBatches keeps of bs those the signed-in user may see.
func (s *Server) readableBatches(c echo.Context, bs []indicators.Batch) ([]indicators.Batch, error) {
	u, _ := currentUser(c)
	out := bs[:0:0]
	for _, b := range bs {
		ok, err := s.mayReadBatch(c.Request().Context(), u, b)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, b)
		}
	}
	return out, nil
}

// checkBatchReadable answers a batch the signed-in user may not see as
// one that does not exist: the same error the store gives for a missing
// batch.
func (s *Server) checkBatchReadable(c echo.Context, b indicators.Batch) error {
	u, _ := currentUser(c)
	ok, err := s.mayReadBatch(c.Request().Context(), u, b)
	if err != nil {
		return err
	}
	if !ok {
		return errNoBatch(b.ID)
	}
	return nil
}

// errNoBatch is the answer about a batch that is not there, or not there
// for the one asking.
func errNoBatch(id int64) error {
	return indicators.FieldError(indicators.ENOTFOUND, "batch",
		fmt.Sprintf("không tìm thấy lô nhập \"%d\"", id), fmt.Sprintf("batch \"%d\" not found", id))
}
