package indicators

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Calendar reads the obligations and the figures received from a store
// and judges the reports they ask for: the one place where the calendar
// page, its workbook, the inbox and the reminders get their reports.
type Calendar struct {
	Store ObligationStore
}

// Year judges every report the obligations of f ask for in year y at
// asOf.
func (c Calendar) Year(ctx context.Context, f ObligationFilter, y int, asOf time.Time) ([]Expectation, error) {
	return c.years(ctx, f, []int{y}, asOf)
}

func (c Calendar) years(ctx context.Context, f ObligationFilter, ys []int, asOf time.Time) ([]Expectation, error) {
	obs, err := c.Store.Obligations(ctx, f)
	if err != nil || len(obs) == 0 {
		return nil, err
	}
	schedules, err := c.Store.Schedules(ctx)
	if err != nil {
		return nil, err
	}
	var units []string
	for _, o := range obs {
		if u := o.FiguresUnit(); !slices.Contains(units, u) {
			units = append(units, u)
		}
	}
	if len(f.Units) == 0 {
		units = nil // every unit: no list to send
	}
	var out []Expectation
	for _, y := range ys {
		received, err := c.Store.Received(ctx, units, y, asOf)
		if err != nil {
			return nil, err
		}
		out = append(out, Expect(obs, schedules, y, received, asOf)...)
	}
	return out, nil
}

// InboxKind says what an inbox item asks of its user.
type InboxKind string

// Inbox kinds. The reporting calendar gives the first two; submission and
// approval add returned submissions (to their planner) and submissions
// awaiting approval (to the unit's approver) through an InboxSource of
// their own.
const (
	InboxOverdue  InboxKind = "overdue"
	InboxDueSoon  InboxKind = "due_soon"
	InboxReturned InboxKind = "returned"
	InboxAwaiting InboxKind = "awaiting_approval"
)

// InboxItem is one thing a user is asked to do, with what a page or an
// e-mail shows of it.
type InboxItem struct {
	Kind       InboxKind
	Plan       string // plan ID
	Unit       string // the reporting unit
	Period     Period
	Deadline   time.Time // the day it is due
	Indicators []string
	Note       string // a returned submission's note, in the approver's words
	// Key names the item for good, so that a reminder of it is sent once:
	// kind, plan, unit, period and deadline.
	Key string
}

// InboxSource gives a user's inbox items at asOf. The calendar is one;
// submission and approval bring another.
type InboxSource interface {
	Inbox(ctx context.Context, u User, asOf time.Time) ([]InboxItem, error)
}

// InboxDays is how far ahead a report counts as due soon.
const InboxDays = 7

// Inbox gives a planner the reports of the units they write for (every
// unit's when they are not limited) that are overdue or due within
// InboxDays, this year's and last year's. Other roles owe no reports.
func (c Calendar) Inbox(ctx context.Context, u User, asOf time.Time) ([]InboxItem, error) {
	if u.Role != Planner || u.Disabled {
		return nil, nil
	}
	y := asOf.In(Vietnam).Year()
	es, err := c.years(ctx, ObligationFilter{Units: u.Units}, []int{y - 1, y}, asOf)
	if err != nil {
		return nil, err
	}
	overdue, soon := Owed(es, asOf, InboxDays)
	var out []InboxItem
	for _, g := range []struct {
		kind InboxKind
		es   []Expectation
	}{{InboxOverdue, overdue}, {InboxDueSoon, soon}} {
		for _, e := range g.es {
			o := e.Obligation
			out = append(out, InboxItem{Kind: g.kind, Plan: o.Plan, Unit: o.Unit, Period: e.Window.Period,
				Deadline: e.Window.Deadline, Indicators: o.Indicators,
				Key: fmt.Sprintf("%s/%s/%s/%s/%s", g.kind, o.Plan, o.Unit, e.Window.Period, e.Window.Deadline.Format(DateLayout))})
		}
	}
	return out, nil
}

// Inboxes merges the items of several sources.
type Inboxes []InboxSource

// Inbox gives the items of every source in turn.
func (s Inboxes) Inbox(ctx context.Context, u User, asOf time.Time) ([]InboxItem, error) {
	var out []InboxItem
	for _, src := range s {
		items, err := src.Inbox(ctx, u, asOf)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
	}
	return out, nil
}
