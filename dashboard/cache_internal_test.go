package dashboard

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"chitieu/indicators"
)

// versions is a store whose data version the test moves by hand.
type versions struct {
	Store
	id atomic.Int64
}

func (v *versions) DataVersion(context.Context) (indicators.DataVersion, error) {
	return indicators.DataVersion{ID: v.id.Load()}, nil
}

// After a write, a request waits for the recomputed value up to
// staleAfter, then takes the value of the version before; once the
// computation ends, requests get the fresh value.
func TestCachedServesThePreviousVersionWhileRecomputing(t *testing.T) {
	t.Parallel()
	st := &versions{}
	st.id.Store(1)
	s := &Server{store: st}
	s.memo.staleAfter = 20 * time.Millisecond
	ctx := context.Background()
	compute := func(v string, release chan struct{}) func(context.Context) (any, error) {
		return func(context.Context) (any, error) {
			if release != nil {
				<-release
			}
			return v, nil
		}
	}
	if got, err := s.cached(ctx, "k", compute("v1", nil)); err != nil || got != "v1" {
		t.Fatalf("first = %v, %v", got, err)
	}
	st.id.Store(2) // a write
	release := make(chan struct{})
	start := time.Now()
	got, err := s.cached(ctx, "k", compute("v2", release))
	if err != nil || got != "v1" {
		t.Fatalf("during the recomputation = %v, %v; want the previous v1", got, err)
	}
	if waited := time.Since(start); waited < 20*time.Millisecond {
		t.Errorf("gave the previous value after %s, before staleAfter", waited)
	}
	close(release)
	deadline := time.Now().Add(5 * time.Second)
	for {
		got, _ = s.cached(ctx, "k", compute("never", nil))
		if got == "v2" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the recomputation = %v, want v2", got)
		}
		time.Sleep(5 * time.Millisecond)
	}

	// With staleAfter < 0 a request always waits for the fresh value.
	s.memo.staleAfter = -1
	st.id.Store(3)
	release = make(chan struct{})
	go func() { time.Sleep(50 * time.Millisecond); close(release) }()
	if got, _ := s.cached(ctx, "k", compute("v3", release)); got != "v3" {
		t.Errorf("waiting = %v, want v3", got)
	}
	// A key never computed before has no previous value: it waits.
	st.id.Store(4)
	release = make(chan struct{})
	s.memo.staleAfter = time.Millisecond
	go func() { time.Sleep(30 * time.Millisecond); close(release) }()
	if got, _ := s.cached(ctx, "new", compute("fresh", release)); got != "fresh" {
		t.Errorf("new key = %v, want fresh", got)
	}
}
