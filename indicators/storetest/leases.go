package storetest

import (
	"context"
	"testing"
	"time"
)

// leases: a lease has one holder at a time; its holder renews it, another
// takes it only once it has expired or was given up, and giving up a lease
// one does not hold changes nothing. The store's clock is the real one
// here, since PostgreSQL's leases expire on the database's clock.
func leases(t *testing.T, open Opener) {
	db := open(t, time.Now).Store
	ctx := context.Background()
	try := func(name, holder string, ttl time.Duration, want bool) {
		t.Helper()
		if got, err := db.TryLease(ctx, name, holder, ttl); err != nil || got != want {
			t.Fatalf("TryLease(%s, %s, %v) = %v, %v; want %v", name, holder, ttl, got, err, want)
		}
	}
	try("reminders", "a", time.Hour, true)
	try("reminders", "b", time.Hour, false) // a holds it
	try("reminders", "a", time.Hour, true)  // renewed by its holder
	try("jobs", "b", time.Hour, true)       // another lease is apart
	if err := db.ReleaseLease(ctx, "reminders", "b"); err != nil {
		t.Fatal(err)
	}
	try("reminders", "b", time.Hour, false) // b gave up nothing of a's
	if err := db.ReleaseLease(ctx, "reminders", "a"); err != nil {
		t.Fatal(err)
	}
	try("reminders", "b", 200*time.Millisecond, true) // given up: taken at once
	try("reminders", "a", time.Hour, false)
	// b's lease, not renewed, expires after its 200 ms.
	time.Sleep(300 * time.Millisecond)
	try("reminders", "a", time.Hour, true)
	try("reminders", "b", time.Hour, false)
	if _, err := db.TryLease(ctx, "reminders", "", time.Hour); err == nil {
		t.Error("a lease for no holder was taken")
	}
	if _, err := db.TryLease(ctx, "reminders", "a", 0); err == nil {
		t.Error("a lease for no time was taken")
	}
}
