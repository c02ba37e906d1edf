package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// maxStatements bounds the statements a read pool keeps prepared. The
// store builds its queries from fixed fragments, so the distinct ones are
// a few hundred at most; a query past the bound runs unprepared.
const maxStatements = 1000

// readPool is the pool of read connections. It keeps each query it has run
// prepared, on every connection that ran it, so that SQLite parses a query
// once per connection instead of at every call: parsing was about a tenth
// of the time of a page.
type readPool struct {
	*sql.DB

	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// stmt returns q prepared, or nil when it cannot be kept (the pool holds
// maxStatements already, or q does not prepare, whose error the caller
// gets by running it unprepared).
func (p *readPool) stmt(ctx context.Context, q string) *sql.Stmt {
	p.mu.Lock()
	st, ok := p.stmts[q]
	full := len(p.stmts) >= maxStatements
	p.mu.Unlock()
	if ok || full {
		return st
	}
	st, err := p.DB.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if had, ok := p.stmts[q]; ok {
		// Another caller prepared it meanwhile.
		st.Close()
		return had
	}
	if p.stmts == nil {
		p.stmts = map[string]*sql.Stmt{}
	}
	p.stmts[q] = st
	return st
}

// QueryContext runs q, prepared once.
func (p *readPool) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := p.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.DB.QueryContext(ctx, q, args...)
}

// QueryRowContext runs q, prepared once, for one row.
func (p *readPool) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := p.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.DB.QueryRowContext(ctx, q, args...)
}

// Close closes the prepared statements and the pool.
func (p *readPool) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for _, st := range p.stmts {
		errs = append(errs, st.Close())
	}
	p.stmts = nil
	return errors.Join(append(errs, p.DB.Close())...)
}
