package indicators

import (
	"context"
	"slices"
	"time"
)

// Catalog is a whole set of plans with everything that hangs on them. The
// built-in Resolution 59 catalogue is one; the plan workbook is another.
type Catalog struct {
	Plans      []Plan
	Groups     []TaskGroup
	Tasks      []Task
	Units      []Unit
	Indicators []Indicator
	Targets    []Target // each with its original revision as TargetRevision
	Values     []Value  // in the order to store them: a later value for a key supersedes an earlier one
	Sources    []Source // the register of the public sources the items name
	// Metadata are the indicators' metadata sheets that are written, in
	// the indicators' order (read by ReadCatalog from a MetadataStore).
	Metadata []IndicatorMetadata
}

// TargetFilter selects targets; zero fields select all.
type TargetFilter struct {
	Plan      string
	Period    *YearRange
	Indicator string
	Group     *int
	Unit      *string // "" selects the city's own targets; a code, that unit's share
}

// ValueFilter selects values; zero fields select all.
type ValueFilter struct {
	Indicator string
	Units     []string
	UnitKind  UnitKind // only values of units of this kind
	Batch     int64
	// EnteredBy, when not zero, keeps values entered by that moment: the
	// store as it stood then (superseded ones marked against that moment).
	EnteredBy time.Time
	// YearsOnly keeps values of whole years, leaving out halves, quarters
	// and months.
	YearsOnly bool
}

// CatalogResult counts what loading a catalogue added.
type CatalogResult struct {
	Plans, Groups, Tasks, Units, Indicators, Targets, Values int
}

// Store is what the rest of chitieu needs of persistence. Every write is
// one transaction and appends to the audit trail in it, naming the actor
// found in the context.
type Store interface {
	Plans(ctx context.Context) ([]Plan, error)
	Plan(ctx context.Context, id string) (Plan, error)
	// FindPlan resolves what a user typed — a plan ID, or a code such as
	// 59-NQ/TW when only one plan carries it — to a plan.
	FindPlan(ctx context.Context, ref string) (Plan, error)
	TaskGroups(ctx context.Context, plan string) ([]TaskGroup, error)
	Tasks(ctx context.Context, plan string) ([]Task, error)
	TaskUpdates(ctx context.Context, task int64) ([]TaskUpdate, error)
	Indicators(ctx context.Context) ([]Indicator, error)
	Indicator(ctx context.Context, code string) (Indicator, error)
	Units(ctx context.Context) ([]Unit, error)
	Unit(ctx context.Context, code string) (Unit, error)
	// Targets returns targets with their full revision history; the
	// embedded revision is the latest one entered.
	Targets(ctx context.Context, f TargetFilter) ([]Target, error)
	Values(ctx context.Context, f ValueFilter) ([]Value, error)
	// Sources returns the register of the catalogue's sources; SourceByCode one
	// entry of it by code ("S63").
	Sources(ctx context.Context) ([]Source, error)
	SourceByCode(ctx context.Context, code string) (Source, error)

	// LoadCatalog adds what of c is not stored yet; it changes nothing
	// already there, so that running it at every start is safe.
	LoadCatalog(ctx context.Context, c *Catalog) (CatalogResult, error)
	// AddValues appends values, superseding older ones of the same key.
	AddValues(ctx context.Context, vs []Value) error
	// ReviseTarget appends a revision to a target.
	ReviseTarget(ctx context.Context, target int64, rev TargetRevision) error
	// Settings returns the progress thresholds in force.
	Settings(ctx context.Context) (Settings, error)
}

// Actor is who makes a change and from where; the store writes it into the
// audit trail. Role and scope say what the actor may change.
type Actor struct {
	User   string // user name, or "system" for start-up work
	Addr   string // client address of the request, if any
	Role   Role   // empty for the system and the command line, which may do anything
	Units  []string
	Groups []int
}

// MayWrite reports whether the actor may change a value of an indicator of
// task group group for unit unit. Planners may be limited to some units
// and some task groups; an empty list means no limit. Leaders and auditors
// change no values.
func (a Actor) MayWrite(unit string, group int) bool {
	switch a.Role {
	case "", Admin:
		return true
	case Planner:
	default:
		return false
	}
	if len(a.Units) > 0 && !slices.Contains(a.Units, unit) {
		return false
	}
	return len(a.Groups) == 0 || slices.Contains(a.Groups, group)
}

type actorKey struct{}

// WithActor returns a context that carries the actor of the changes made
// with it.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, or the system actor.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok && a.User != "" {
		return a
	}
	return Actor{User: "system"}
}

// AuditEvent is one entry of the append-only audit trail. Each carries the
// hash of the one before, so that an edited, removed or reordered event
// breaks the chain.
type AuditEvent struct {
	ID       int64
	At       time.Time // UTC
	User     string
	Addr     string
	Action   string // "value.add", "target.revise", "login.fail" …
	Object   string // "value:12", "target:r98/ECO-01/2021-2025" …
	Before   string // JSON, empty for a creation
	After    string // JSON, empty for a removal
	Batch    int64
	FileHash string
	PrevHash string
	Hash     string
}

// AuditFilter selects audit events; zero fields select all.
type AuditFilter struct {
	From, To time.Time
	User     string
	Action   string // an action or its prefix: "value" matches "value.add"
	Object   string // part of the object
	Limit    int
	Newest   bool  // newest first (for pages); oldest first otherwise
	Before   int64 // only events with a smaller ID: the next page of a newest-first list
}
