package importers

import (
	"context"
	"slices"
	"sync"
)

// Queue lets at most n holders in at once and serves the others in the
// order they came, each of which can be told its place. The import desk
// queues uploads for its workers with one; an Importer queues its commits
// with another of one place, so that batches are written one at a time.
type Queue struct {
	mu      sync.Mutex
	n, held int
	waiting []*Ticket
}

// Ticket is a place in a Queue, held or waited for.
type Ticket struct {
	ready   chan struct{}
	holding bool
}

// NewQueue returns a queue of n places (at least one).
func NewQueue(n int) *Queue { return &Queue{n: max(n, 1)} }

// Size is the number of places.
func (q *Queue) Size() int { return q.n }

// Wait takes a place for t, waiting in turn for one to free up, until ctx
// ends. Every Wait that returns nil is followed by a Leave.
func (q *Queue) Wait(ctx context.Context, t *Ticket) error {
	q.mu.Lock()
	if q.held < q.n && len(q.waiting) == 0 {
		q.held++
		t.holding = true
		q.mu.Unlock()
		return nil
	}
	t.ready = make(chan struct{})
	q.waiting = append(q.waiting, t)
	q.mu.Unlock()
	select {
	case <-t.ready:
		return nil
	case <-ctx.Done():
		q.Leave(t)
		return ctx.Err()
	}
}

// Leave gives up t's place, or its wait for one.
func (q *Queue) Leave(t *Ticket) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if t.holding {
		t.holding = false
		q.held--
	} else if i := slices.Index(q.waiting, t); i >= 0 {
		q.waiting = slices.Delete(q.waiting, i, i+1)
	}
	for q.held < q.n && len(q.waiting) > 0 {
		w := q.waiting[0]
		q.waiting = q.waiting[1:]
		w.holding = true
		q.held++
		close(w.ready)
	}
}

// Place is t's place among those waiting, from 1; 0 when t holds a place
// or is not in the queue.
func (q *Queue) Place(t *Ticket) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return slices.Index(q.waiting, t) + 1
}
