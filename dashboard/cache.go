package dashboard

import (
	"context"
	"sync"
	"time"

	"chitieu/indicators"
)

// Judging a plan's targets reads every value of their indicators; doing it
// for every request would make the pages slow once the store holds
// millions of unit values. memo keeps what a page computed, keyed by what
// it depends on (plan, period, as-of day, indicator …) and by the store's
// data version, which every write moves: a write makes every entry stale at
// once, and the next request computes afresh. Concurrent requests for the
// same missing entry wait for one computation instead of each running it.
//
// While a computation after a write takes longer than staleAfter (a large
// import commits, and every page recomputes at once), requests get the
// value of the previous data version instead of queueing behind it; the
// pages say which moment their data is from. Computations run on their own,
// so that the first request is not held either.
type memo struct {
	mu         sync.Mutex
	version    int64
	entries    map[string]*memoEntry
	previous   map[string]*memoEntry // the finished entries of the version before
	staleAfter time.Duration         // < 0: always wait for the fresh value
}

// defaultStaleAfter is how long a request waits for a fresh computation
// before it takes the previous version's value.
const defaultStaleAfter = 100 * time.Millisecond

type memoEntry struct {
	done chan struct{}
	val  any
	err  error
}

// memoLimit bounds the entries kept for one data version; past it the
// cache starts over (as-of dates picked one by one can make many keys).
const memoLimit = 512

// versionRead is one read of the data version that concurrent requests
// share.
type versionRead struct {
	done chan struct{}
	v    indicators.DataVersion
	err  error
}

// dataVersion returns the store's data version. Requests that arrive while a
// read is under way share it rather than queue for the store's few read
// connections: under load that read is at most a few microseconds older
// than the request.
func (s *Server) dataVersion(ctx context.Context) (indicators.DataVersion, error) {
	s.versionMu.Lock()
	r := s.versionRead
	if r == nil {
		r = &versionRead{done: make(chan struct{})}
		s.versionRead = r
		s.versionMu.Unlock()
		r.v, r.err = s.store.DataVersion(context.WithoutCancel(ctx))
		s.versionMu.Lock()
		s.versionRead = nil
		s.versionMu.Unlock()
		close(r.done)
	} else {
		s.versionMu.Unlock()
		<-r.done
	}
	return r.v, r.err
}

// cached returns the value computed for key at the store's current data
// version, computing it with compute when there is none.
func (s *Server) cached(ctx context.Context, key string, compute func(ctx context.Context) (any, error)) (any, error) {
	v, err := s.dataVersion(ctx)
	if err != nil {
		return nil, err
	}
	m := &s.memo
	m.mu.Lock()
	if m.entries == nil || m.version != v.ID || len(m.entries) >= memoLimit {
		if m.version != v.ID {
			m.previous = newest(m.previous, m.entries)
		}
		m.entries, m.version = map[string]*memoEntry{}, v.ID
	}
	e, found := m.entries[key]
	if !found {
		e = &memoEntry{done: make(chan struct{})}
		m.entries[key] = e
		// The computation outlives a client that goes away, since others
		// may be waiting for it.
		go func(ctx context.Context) {
			e.val, e.err = compute(ctx)
			close(e.done)
			if e.err != nil {
				m.mu.Lock()
				if m.entries[key] == e {
					delete(m.entries, key)
				}
				m.mu.Unlock()
			}
		}(context.WithoutCancel(ctx))
	}
	old := m.previous[key]
	m.mu.Unlock()
	var stale <-chan time.Time
	if old != nil && m.staleAfter >= 0 {
		t := time.NewTimer(m.staleAfter)
		defer t.Stop()
		stale = t.C
	}
	select {
	case <-e.done:
		return e.val, e.err
	case <-stale:
		return old.val, old.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// newest keeps, for each key, the last value computed well: that of the
// version ending now when it has one, else the one kept before.
func newest(kept, ending map[string]*memoEntry) map[string]*memoEntry {
	out := map[string]*memoEntry{}
	if len(kept) < memoLimit {
		for k, e := range kept {
			out[k] = e
		}
	}
	for k, e := range ending {
		select {
		case <-e.done:
			if e.err == nil {
				out[k] = e
			}
		default:
		}
	}
	return out
}
