package indicators

import (
	"context"
	"time"
)

// An Idempotency-Key header makes a state-changing API request safe to
// send again: the first request with a key runs and its answer is kept;
// a request with the same key and the same content gets that answer back
// without running again, so that a script retrying after a lost
// connection makes no second batch. Keys belong to a user.

// Idempotency keys are kept IdempotencyKept after their request; a
// request still running after IdempotencyStale is taken for dead (its
// server stopped) and its key may be used again.
const (
	IdempotencyKept  = 24 * time.Hour
	IdempotencyStale = 15 * time.Minute
)

// IdempotentAnswer is what is kept of a request sent with a key.
type IdempotentAnswer struct {
	User, Key   string
	Request     string // what the request asked, to tell a retry from another request under the same key
	Done        bool   // the answer is kept; false while the request runs
	Status      int
	ContentType string
	Body        []byte
	CreatedAt   time.Time
}

// IdempotencyStore keeps the keys and answers of requests.
type IdempotencyStore interface {
	// BeginIdempotent claims a key of a user for a request at now and
	// reports true; when the key is held already (by a request that runs
	// or has answered, within the times above) it reports false with
	// what is kept of it.
	BeginIdempotent(ctx context.Context, a IdempotentAnswer, now time.Time) (IdempotentAnswer, bool, error)
	// FinishIdempotent keeps the answer of a claimed key.
	FinishIdempotent(ctx context.Context, a IdempotentAnswer) error
	// AbandonIdempotent frees a claimed key whose request failed without
	// an answer worth repeating, so that a retry runs.
	AbandonIdempotent(ctx context.Context, user, key string) error
}
