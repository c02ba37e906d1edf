package importers

import (
	"context"
	"sync/atomic"
	"time"
)

// Foreground lets imports give way to the people using the site. The web
// server marks each request it serves (Begin … end); an import's reader
// and its commit writer call Yield between chunks, and while requests are
// being served they pause, up to GiveWay each time, before their next
// chunk. A page then waits for at most a chunk of import work, not for the
// import jobs' share of both cores: on a 2-core server five 100,000-row
// imports at once otherwise keep every page waiting behind them. An import
// is slowed only while people are loading pages, and never stopped: after
// GiveWay it goes on whether or not requests are still arriving.
type Foreground struct {
	serving atomic.Int64
}

// GiveWay is the longest an import pauses at one chunk for requests being
// served. A chunk is a few milliseconds of work (256 rows read, or 2,000
// values written), so under a steady stream of requests an import keeps
// roughly a fifth of a core.
const GiveWay = 10 * time.Millisecond

// Begin marks a request being served; the function it returns ends it.
func (f *Foreground) Begin() (end func()) {
	if f == nil {
		return func() {}
	}
	f.serving.Add(1)
	return func() { f.serving.Add(-1) }
}

// Aside takes a request being served out of the count while it waits
// for an import job; the function it returns puts it back.
func (f *Foreground) Aside() (back func()) {
	if f == nil {
		return func() {}
	}
	f.serving.Add(-1)
	return func() { f.serving.Add(1) }
}

// Serving is how many requests are being served.
func (f *Foreground) Serving() int64 {
	if f == nil {
		return 0
	}
	return f.serving.Load()
}

// Yield returns at once when no request is being served; otherwise it
// waits until none is, GiveWay passes or ctx ends.
func (f *Foreground) Yield(ctx context.Context) {
	if f == nil || f.serving.Load() == 0 {
		return
	}
	deadline := time.Now().Add(GiveWay)
	for f.serving.Load() > 0 && ctx.Err() == nil {
		left := time.Until(deadline)
		if left <= 0 {
			return
		}
		time.Sleep(min(left, time.Millisecond))
	}
}
