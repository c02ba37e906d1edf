package dashboard_test

import (
	"testing"

	"chitieu/dashboard"
	"chitieu/indicators"
)

// The throttle's rule: a trusted browser is held back by its own failures
// only; any other sign-in by those of the typed name or of the address.
func TestThrottleHolds(t *testing.T) {
	th := dashboard.Throttle{PerAccount: 100, PerAddr: 200, PerDevice: 20}
	for _, tc := range []struct {
		f       indicators.LoginFailures
		trusted bool
		want    bool
	}{
		{indicators.LoginFailures{Name: 99, Addr: 199, Device: 19}, false, false},
		{indicators.LoginFailures{Name: 100}, false, true},
		{indicators.LoginFailures{Addr: 200}, false, true},
		{indicators.LoginFailures{Device: 20}, false, false}, // a device's failures count only for it
		{indicators.LoginFailures{Name: 5000, Addr: 5000, Device: 19}, true, false},
		{indicators.LoginFailures{Device: 20}, true, true},
	} {
		if got := th.Holds(tc.f, tc.trusted); got != tc.want {
			t.Errorf("Holds(%+v, trusted %v) = %v, want %v", tc.f, tc.trusted, got, tc.want)
		}
	}
}
