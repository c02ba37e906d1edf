package main

import (
	"fmt"
	"os"
	"slices"
	"text/tabwriter"

	"chitieu/indicators"
)

// comparison is one file imported into both stores, once per run.
type comparison struct {
	file             string
	rows             int
	lite, liteAgain  []result
	pg, pgAgain      []result
	loadFrom, loadTo string
}

// span prints what f picks of the results as a value or, over several
// runs, as the range from the least to the most.
func span(rs []result, f func(result) float64, format string) string {
	var xs []float64
	for _, r := range rs {
		if r.Err == "" && r.Seconds > 0 {
			xs = append(xs, f(r))
		}
	}
	return spanOf(xs, format)
}

func spanOf(xs []float64, format string) string {
	if len(xs) == 0 {
		return "—"
	}
	lo, hi := slices.Min(xs), slices.Max(xs)
	a, b := fmt.Sprintf(format, lo), fmt.Sprintf(format, hi)
	if a == b {
		return a
	}
	return a + "–" + b
}

// ratios are PostgreSQL's seconds over SQLite's, run by run.
func ratios(pg, lite []result) string {
	var xs []float64
	for i := range min(len(pg), len(lite)) {
		if pg[i].Err == "" && lite[i].Err == "" && pg[i].Seconds > 0 && lite[i].Seconds > 0 {
			xs = append(xs, pg[i].Seconds/lite[i].Seconds)
		}
	}
	s := spanOf(xs, "%.2f")
	if s == "—" {
		return s
	}
	return s + "×"
}

// printComparison prints the stores side by side, file by file.
func printComparison(cs []comparison, withPG bool) {
	fmt.Println()
	fmt.Println("Both stores, end to end (read, check, preview, commit), each step in a process of its own:")
	fmt.Println()
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "file\trows\truns\tSQLite s\tPostgreSQL s\tPG ÷ SQLite\tSQLite peak MB\tPG peak MB\tSQLite CPU s\tPG client CPU s\tPG server CPU s\t"+
		"again SQLite s\tagain PG s\tagain PG ÷ SQLite\tagain SQLite peak MB\tagain PG peak MB\tload before → after\t")
	secs := func(r result) float64 { return r.Seconds }
	peak := func(r result) float64 { return r.PeakMB }
	cpu := func(r result) float64 { return r.CPU }
	server := func(r result) float64 { return r.ServerCPU }
	for _, c := range cs {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s → %s\t\n",
			c.file, indicators.FormatNumber(float64(c.rows), 0, "en"), max(len(c.lite), len(c.pg)),
			span(c.lite, secs, "%.1f"), span(c.pg, secs, "%.1f"), ratios(c.pg, c.lite),
			span(c.lite, peak, "%.0f"), span(c.pg, peak, "%.0f"),
			span(c.lite, cpu, "%.1f"), span(c.pg, cpu, "%.1f"), span(c.pg, server, "%.1f"),
			span(c.liteAgain, secs, "%.1f"), span(c.pgAgain, secs, "%.1f"), ratios(c.pgAgain, c.liteAgain),
			span(c.liteAgain, peak, "%.0f"), span(c.pgAgain, peak, "%.0f"), c.loadFrom, c.loadTo)
	}
	tw.Flush()
	fmt.Println()
	fmt.Println("Ranges run from the least to the most of the runs; PG ÷ SQLite is the ratio of the seconds of the same run.")
	if withPG {
		fmt.Println("Goal: PostgreSQL at most 1.5× SQLite's time at 1,000,000 rows, its importing process within the same 300 MB.")
		fmt.Println("PG peak MB is the importing process's; the server's memory is its own. PG server CPU s: the server processes")
		fmt.Println("that served the import, from /proc (empty when the server runs on another machine). A PostgreSQL that syncs")
		fmt.Println("to disk (fsync on) takes longer than the throwaway cluster of .ci/postgres, which runs with fsync off.")
	}
}
