package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// What keeps a million-row import fast (migration 0019 and the writer's
// checkpoint): the calendar's query finds a year's rows through the index
// of the year alone, no index of data_values holds the moment a value was
// entered (which put each new value in a different place), and the writer
// copies the WAL back at 8,000 pages.
func TestCalendarIndexAndCheckpointKeepImportsCheap(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	rows, err := st.read.QueryContext(ctx, `EXPLAIN QUERY PLAN `+receivedQuery+` GROUP BY indicator, unit, period`,
		2025, "9999", "9999")
	if err != nil {
		t.Fatal(err)
	}
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if !strings.Contains(strings.Join(plan, "\n"), "data_values USING INDEX data_values_year (year=?)") {
		t.Errorf("the calendar's query does not read a year through data_values_year:\n%s", strings.Join(plan, "\n"))
	}

	var wide []string
	rows, err = st.read.QueryContext(ctx, `SELECT il.name FROM pragma_index_list('data_values') il
		JOIN pragma_index_info(il.name) ii WHERE ii.name = 'entered_at'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		wide = append(wide, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if len(wide) > 0 {
		t.Errorf("indexes of data_values hold entered_at: %v", wide)
	}

	var pages int
	if err := st.write.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&pages); err != nil || pages != 8000 {
		t.Errorf("the writer checkpoints at %d pages (%v), want 8000", pages, err)
	}
}
