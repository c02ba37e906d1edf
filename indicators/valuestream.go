package indicators

import "context"

// ValueStream reads values one at a time, for exports too large to hold in
// memory (a data export of every value ever entered).
type ValueStream interface {
	// CountValues counts the values f selects, for progress bars.
	CountValues(ctx context.Context, f ValueFilter) (int, error)
	// EachValue calls fn with every value f selects, in the order they
	// were stored (by ID) and with the Superseded marks of Store.Values,
	// holding no more than the IDs of replaced values in memory. It stops
	// at the first error fn returns and returns it.
	EachValue(ctx context.Context, f ValueFilter, fn func(Value) error) error
}
