package main

import (
	"chitieu/tools/internal/machine"
	"fmt"
	"io"
	"runtime"
	"strings"
)

// The README's page goals: p95 at 200 connections, idle and under load.
const (
	goalConns    = 200
	goalIdleMS   = 50
	goalLoadedMS = 150
)

// goal is the p95 a row must reach, if a goal applies to it: rows at the
// goal's connection count, idle, writing or during five imports that give
// way. The full-speed rows are a baseline for the ones that give way, not
// a goal of their own.
func goal(r result) (ms float64, ok bool) {
	if r.conns != goalConns {
		return 0, false
	}
	switch r.kind {
	case "idle":
		return goalIdleMS, true
	case "writing", "imports":
		return goalLoadedMS, true
	}
	return 0, false
}

// goalCell says whether r met its goal.
func goalCell(r result) string {
	ms, ok := goal(r)
	switch {
	case !ok:
		return ""
	case r.p95 <= ms && r.errors == 0:
		return fmt.Sprintf("≤ %.0f met", ms)
	default:
		return fmt.Sprintf("≤ %.0f MISSED", ms)
	}
}

// versusSQLite compares a PostgreSQL row with the SQLite row of the same
// page, connections and load, if the run has one: its requests per second
// and its p95 as multiples of SQLite's.
func versusSQLite(r result, rows []result) string {
	if r.store == storeSQLite {
		return ""
	}
	for _, s := range rows {
		if s.store == storeSQLite && s.page == r.page && s.conns == r.conns && s.kind == r.kind && s.rps > 0 && s.p95 > 0 {
			return fmt.Sprintf("%.2f× %.2f×", r.rps/s.rps, r.p95/s.p95)
		}
	}
	return ""
}

// printTable prints the rows as a Markdown table, with the goals beside
// and the machine's state under it.
func printTable(w io.Writer, rows []result) {
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| store       | page      | conns | load          |   req/s |  p50 ms |  p90 ms |  p95 ms |  p99 ms | errors | not 2xx | goal p95 ms | vs sqlite: req/s, p95 |")
	fmt.Fprintln(w, "|-------------|-----------|------:|---------------|--------:|--------:|--------:|--------:|--------:|-------:|--------:|-------------|-----------------------|")
	met := map[string][2]int{} // per store: rows that met their goal, rows with a goal
	var stores []string
	for _, r := range rows {
		fmt.Fprintf(w, "| %-11s | %-9s | %5d | %-13s | %7.0f | %7.2f | %7.2f | %7.2f | %7.2f | %6d | %7d | %-11s | %-21s |\n",
			r.store, r.page, r.conns, r.load, r.rps, r.p50, r.p90, r.p95, r.p99, r.errors, r.badStatus, goalCell(r), versusSQLite(r, rows))
		if _, ok := met[r.store]; !ok {
			stores = append(stores, r.store)
			met[r.store] = [2]int{}
		}
		if _, ok := goal(r); ok {
			m := met[r.store]
			m[1]++
			if strings.HasSuffix(goalCell(r), "met") {
				m[0]++
			}
			met[r.store] = m
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "goal: p95 ≤ %d ms at %d connections idle, ≤ %d ms while writing and during five imports at once, without errors\n",
		goalIdleMS, goalConns, goalLoadedMS)
	var parts []string
	for _, s := range stores {
		m := met[s]
		if m[1] == 0 {
			parts = append(parts, fmt.Sprintf("%s: no row at %d connections", s, goalConns))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s: %d of %d rows met", s, m[0], m[1]))
	}
	if len(parts) > 0 {
		fmt.Fprintf(w, "goals: %s\n", strings.Join(parts, "; "))
	}
	fmt.Fprintf(w, "machine: %d cores, load average %s (1, 5, 15 min, at the end: other work on the machine shows here)\n",
		runtime.NumCPU(), machine.LoadAverage())
}
