package importers

import (
	"context"
	"testing"
	"time"
)

func TestForegroundYieldsOnlyWhileServing(t *testing.T) {
	t.Parallel()
	var f Foreground
	ctx := context.Background()

	// No request served: an import goes on without waiting at all, which
	// the count shows (no sleep happens on this path).
	f.Yield(ctx)
	if n := f.Serving(); n != 0 {
		t.Fatalf("serving = %d with no request", n)
	}

	// A request being served: the import waits, but never longer than
	// GiveWay, whether or not the request ends.
	end := f.Begin()
	start := time.Now()
	f.Yield(ctx)
	if waited := time.Since(start); waited < GiveWay {
		t.Errorf("Yield while a request is served returned after %v, before GiveWay (%v)", waited, GiveWay)
	}

	// A request waiting for an import job stands aside, or the job would
	// wait for the request that waits for it.
	back := f.Aside()
	if n := f.Serving(); n != 0 {
		t.Errorf("serving = %d while the only request stands aside", n)
	}
	back()
	end()
	if n := f.Serving(); n != 0 {
		t.Errorf("serving = %d after the request ended", n)
	}

	// The request ending while the import waits lets it go on at once.
	end = f.Begin()
	released := make(chan struct{})
	go func() {
		f.Yield(ctx)
		close(released)
	}()
	end()
	<-released

	// A cancelled job does not wait.
	end = f.Begin()
	defer end()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	f.Yield(cancelled)
}

func TestNilForegroundNeverWaits(t *testing.T) {
	t.Parallel()
	var f *Foreground // an importer run from the command line has none
	f.Begin()()
	f.Aside()()
	f.Yield(context.Background())
	if n := f.Serving(); n != 0 {
		t.Errorf("nil Foreground serving = %d", n)
	}
}
