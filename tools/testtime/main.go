// Command testtime reads the output of `go test -json` and prints where the
// time went: each package's elapsed time, then its slowest top-level tests
// with their share of the package. A parallel test's time overlaps others',
// so the tests of a package may add up to more than the package took; the
// table says so with the sum beside the package's own figure.
//
//	go test -race -count=1 -json ./indicators/sqlite/ ./dashboard/ > run.json
//	go run ./tools/testtime -top 15 < run.json
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// event is the part of a test2json event that testtime reads.
type event struct {
	Action  string
	Package string
	Test    string
	Elapsed float64
}

// pkgTimes is one package's figures.
type pkgTimes struct {
	name    string
	elapsed float64
	result  string
	tests   map[string]float64
	results map[string]string
}

func main() {
	top := flag.Int("top", 10, "slowest top-level tests to list per package (0: all)")
	flag.Parse()
	pkgs, err := read(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testtime:", err)
		os.Exit(1)
	}
	write(os.Stdout, pkgs, *top)
}

// read gathers the pass, fail and skip events of packages and of their
// top-level tests; subtests are inside their parent's time.
func read(r io.Reader) ([]*pkgTimes, error) {
	byName := map[string]*pkgTimes{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 || line[0] != '{' {
			continue // build output mixed into the stream
		}
		var ev event
		if err := json.Unmarshal(line, &ev); err != nil {
			return nil, fmt.Errorf("read event %q: %w", line, err)
		}
		if ev.Action != "pass" && ev.Action != "fail" && ev.Action != "skip" {
			continue
		}
		p := byName[ev.Package]
		if p == nil {
			p = &pkgTimes{name: ev.Package, tests: map[string]float64{}, results: map[string]string{}}
			byName[ev.Package] = p
		}
		switch {
		case ev.Test == "":
			p.elapsed, p.result = ev.Elapsed, ev.Action
		case !strings.Contains(ev.Test, "/"):
			p.tests[ev.Test], p.results[ev.Test] = ev.Elapsed, ev.Action
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	var out []*pkgTimes
	for _, p := range byName {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].elapsed > out[j].elapsed })
	return out, nil
}

func write(w io.Writer, pkgs []*pkgTimes, top int) {
	var total float64
	for _, p := range pkgs {
		total += p.elapsed
	}
	fmt.Fprintf(w, "%-56s %9s %9s  %s\n", "package / test", "seconds", "share", "result")
	for _, p := range pkgs {
		var sum float64
		names := make([]string, 0, len(p.tests))
		for n, s := range p.tests {
			sum += s
			names = append(names, n)
		}
		sort.Slice(names, func(i, j int) bool { return p.tests[names[i]] > p.tests[names[j]] })
		fmt.Fprintf(w, "%-56s %9.1f %9s  %s (%d tests, %.1f s added up)\n", p.name, p.elapsed, "", p.result, len(names), sum)
		if top > 0 && len(names) > top {
			names = names[:top]
		}
		for _, n := range names {
			share := 0.0
			if sum > 0 {
				share = 100 * p.tests[n] / sum
			}
			fmt.Fprintf(w, "  %-54s %9.1f %8.1f%%  %s\n", n, p.tests[n], share, p.results[n])
		}
	}
	fmt.Fprintf(w, "%-56s %9.1f\n", "all packages added up", total)
}
