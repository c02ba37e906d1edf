package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"chitieu/indicators"
)

const sourceColumns = `code, title, publisher, published, date_note, address`

func scanSource(s interface{ Scan(...any) error }) (indicators.Source, error) {
	var src indicators.Source
	var published string
	err := s.Scan(&src.Code, &src.Title, &src.Publisher, &published, &src.DateNote, &src.Address)
	src.Published = parseDate(published)
	return src, err
}

// Sources returns the register of the catalogue's sources in code order
// (S01, S02 … S131).
func (db *DB) Sources(ctx context.Context) ([]indicators.Source, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+sourceColumns+` FROM sources
		ORDER BY length(code), code`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list sources: %w", err)
	}
	defer rows.Close()
	var out []indicators.Source
	for rows.Next() {
		s, err := scanSource(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: scan source: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// SourceByCode returns one entry of the register.
func (db *DB) SourceByCode(ctx context.Context, code string) (indicators.Source, error) {
	s, err := scanSource(db.read.QueryRowContext(ctx, `SELECT `+sourceColumns+` FROM sources WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return s, notFound("source", code)
	}
	if err != nil {
		return s, fmt.Errorf("sqlite: find source %s: %w", code, err)
	}
	return s, nil
}

// loadSources writes the register and the plans' notes of incompleteness,
// which the catalogue owns: an entry that differs is brought up to date.
func loadSources(ctx context.Context, tx *sql.Tx, c *indicators.Catalog) (int, error) {
	n := 0
	for _, s := range c.Sources {
		r, err := tx.ExecContext(ctx, `INSERT INTO sources (`+sourceColumns+`) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET title = excluded.title, publisher = excluded.publisher,
				published = excluded.published, date_note = excluded.date_note, address = excluded.address
			WHERE (title, publisher, published, date_note, address) IS NOT
				(excluded.title, excluded.publisher, excluded.published, excluded.date_note, excluded.address)`,
			s.Code, s.Title, s.Publisher, fmtDate(s.Published), s.DateNote, s.Address)
		if err != nil {
			return n, fmt.Errorf("sqlite: load source %s: %w", s.Code, err)
		}
		k, _ := r.RowsAffected()
		n += int(k)
	}
	for _, p := range c.Plans {
		if _, err := tx.ExecContext(ctx, `UPDATE plans SET incomplete_vi = ?, incomplete_en = ?
			WHERE id = ? AND (incomplete_vi, incomplete_en) IS NOT (?, ?)`,
			p.Incomplete, p.IncompleteEN, p.ID, p.Incomplete, p.IncompleteEN); err != nil {
			return n, fmt.Errorf("sqlite: note what plan %s lacks: %w", p.ID, err)
		}
	}
	return n, nil
}
