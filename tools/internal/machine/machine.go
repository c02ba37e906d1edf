// Package machine describes the machine a benchmark runs on, so that
// every table printed says under what load its figures were taken.
package machine

import (
	"os"
	"strings"
)

// LoadAverage is the 1, 5 and 15 minute load averages as Linux gives them
// ("0.52 0.61 0.70"), or "?" where there are none.
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
