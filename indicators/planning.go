package indicators

import (
	"context"
	"fmt"
	"regexp"
	"time"
)

// PlanEditor is what admins need to enter and correct the catalogue: plans,
// task groups, indicators, targets, tasks and units, and what planners need
// to report progress on tasks. Every method validates through the domain,
// runs in one transaction and writes an audit event with the item before
// and after. Targets are never overwritten: what a target asks changes only
// through ReviseTarget of Store, which appends a revision.
type PlanEditor interface {
	// CreatePlan stores a new plan, filling its ID from its code and issue
	// date when empty and its order when zero.
	CreatePlan(ctx context.Context, p *Plan) error
	// UpdatePlan changes a stored plan; its ID never changes.
	UpdatePlan(ctx context.Context, p Plan) error
	CreateTaskGroup(ctx context.Context, g TaskGroup) error
	UpdateTaskGroup(ctx context.Context, g TaskGroup) error
	CreateIndicator(ctx context.Context, ind Indicator) error
	UpdateIndicator(ctx context.Context, ind Indicator) error
	// CreateTarget stores a new target with its original revision and
	// fills its ID.
	CreateTarget(ctx context.Context, t *Target) error
	// UpdateTarget files a target under another task group or task; what it
	// asks is changed by revisions only.
	UpdateTarget(ctx context.Context, t Target) error
	// Target returns one target with its revisions.
	Target(ctx context.Context, id int64) (Target, error)
	CreateTask(ctx context.Context, t *Task) error
	UpdateTask(ctx context.Context, t Task) error
	// Task returns the task with the given code.
	Task(ctx context.Context, code string) (Task, error)
	CreateUnit(ctx context.Context, u Unit) error
	// UpdateUnit changes a unit; its official code stays as stored.
	UpdateUnit(ctx context.Context, u Unit) error
	// SetUnitOfficialCode sets (or, with "", clears) a unit's official
	// code, audited; the code is digits and no other unit has it.
	SetUnitOfficialCode(ctx context.Context, unit, code string) error
	// AddTaskUpdate records progress on a task. A planner may report on
	// the tasks of the agencies and task groups of their scope only.
	AddTaskUpdate(ctx context.Context, u *TaskUpdate) error
	// ApplyCatalogChanges applies a plan workbook's changes in one
	// transaction, auditing each with the file's hash; one refused change
	// stores none.
	ApplyCatalogChanges(ctx context.Context, changes []CatalogChange, src ChangeSource) error
}

// ChangeAction is what a change does to the catalogue.
type ChangeAction string

// Change actions.
const (
	Create ChangeAction = "create" // a new item
	Update ChangeAction = "update" // new values for the fields of a stored item
	Revise ChangeAction = "revise" // a new revision of a stored target
)

// The objects a catalogue change may concern, as named in audit events.
const (
	ObjPlan      = "plan"
	ObjTaskGroup = "task_group"
	ObjIndicator = "indicator"
	ObjTarget    = "target"
	ObjTask      = "task"
	ObjUnit      = "unit"
	ObjMetadata  = "indicator_metadata"
)

// FieldChange is one field of an item that a change sets, in the form a
// person reads it.
type FieldChange struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// CatalogChange is one change of the catalogue, as a plan workbook asks
// for it: exactly one of the item fields is set, matching Object. For a
// revision, Target carries the target's identity and the new revision as
// its TargetRevision; the store finds the target, which may have been
// created by an earlier change of the same set.
type CatalogChange struct {
	Action ChangeAction
	Object string
	Key    string        // how people name the item: "ECO-01", "98-nq-cp-2021-08-30/ECO-01/2021-2025/old_city"
	Sheet  string        // where in the workbook it comes from
	Row    int           //
	Fields []FieldChange // what changes, for the preview

	Plan      *Plan
	Group     *TaskGroup
	Indicator *Indicator
	Task      *Task
	Unit      *Unit
	Target    *Target
	Metadata  *IndicatorMetadata
}

// ChangeSource names the file a set of changes came from, for the audit
// trail.
type ChangeSource struct {
	FileName string
	SHA256   string
	// Warnings counts the plausibility warnings of the targets' bounds;
	// ConfirmNote is the note that confirmed them.
	Warnings    int
	ConfirmNote string
}

// TargetKey is what identifies a target: plan, indicator, period and scope.
type TargetKey struct {
	Plan      string
	Indicator string
	Period    YearRange
	Scope     Scope
	Unit      string // empty for the territory as a whole
}

// Key returns the target's identity.
func (t *Target) Key() TargetKey {
	return TargetKey{Plan: t.Plan, Indicator: t.Indicator, Period: t.Period, Scope: t.Scope, Unit: t.Unit}
}

func (k TargetKey) String() string {
	if k.Unit != "" {
		return fmt.Sprintf("%s/%s/%s/%s/%s", k.Plan, k.Indicator, k.Period, k.Scope, k.Unit)
	}
	return fmt.Sprintf("%s/%s/%s/%s", k.Plan, k.Indicator, k.Period, k.Scope)
}

var planIDPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidPlanID reports whether s has the form of a plan ID (lower-case
// letters, digits and single hyphens), as PlanID makes them.
func ValidPlanID(s string) bool { return len(s) <= 80 && planIDPattern.MatchString(s) }

// Validate checks a progress report on a task.
func (u *TaskUpdate) Validate() error {
	switch {
	case u.Task == 0:
		return FieldError(EINVALID, "task", "thiếu nhiệm vụ được báo cáo tiến độ", "the task is missing")
	case u.Percent < 0 || u.Percent > 100:
		return FieldError(EINVALID, "percent",
			fmt.Sprintf("tỷ lệ hoàn thành %v%% phải từ 0 đến 100", u.Percent),
			fmt.Sprintf("percent complete %v must be 0–100", u.Percent))
	case u.Done && u.Percent != 100:
		return FieldError(EINVALID, "percent", "nhiệm vụ đã hoàn thành phải đạt 100%", "a finished task must be 100% complete")
	case u.Date.IsZero():
		return FieldError(EINVALID, "date", "thiếu ngày của báo cáo tiến độ", "the date of the progress report is missing")
	case len(u.Note) > 2000:
		return FieldError(EINVALID, "note", "ghi chú tình trạng dài quá 2.000 ký tự", "the status note is longer than 2,000 characters")
	}
	return nil
}

// MayReport reports whether the actor may record progress on task t: an
// admin or the system always; a planner when the task's lead agency and
// task group are within their scope.
func (a Actor) MayReport(t Task) bool {
	return a.MayWrite(t.LeadAgency, t.Group)
}

// LatestUpdate returns the task's progress as known at moment asOf: the
// update with the latest date among those entered by then. ok is false when
// none was.
func LatestUpdate(updates []TaskUpdate, asOf time.Time) (u TaskUpdate, ok bool) {
	for _, x := range updates {
		if x.EnteredAt.After(asOf) {
			continue
		}
		if !ok || x.Date.After(u.Date) || x.Date.Equal(u.Date) && x.EnteredAt.After(u.EnteredAt) {
			u, ok = x, true
		}
	}
	return u, ok
}

// ReadCatalog reads the whole catalogue from s — plans, task groups,
// tasks, units, indicators and targets with every revision, but no values
// — for the plan workbook and for comparing one against the store.
func ReadCatalog(ctx context.Context, s Store) (*Catalog, error) {
	var c Catalog
	var err error
	if c.Plans, err = s.Plans(ctx); err != nil {
		return nil, err
	}
	for _, p := range c.Plans {
		gs, err := s.TaskGroups(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		c.Groups = append(c.Groups, gs...)
	}
	if c.Tasks, err = s.Tasks(ctx, ""); err != nil {
		return nil, err
	}
	if c.Units, err = s.Units(ctx); err != nil {
		return nil, err
	}
	if c.Indicators, err = s.Indicators(ctx); err != nil {
		return nil, err
	}
	if c.Targets, err = s.Targets(ctx, TargetFilter{}); err != nil {
		return nil, err
	}
	// The metadata sheets, where the store keeps them: the plan workbook
	// carries them beside the indicators.
	if ms, ok := s.(MetadataStore); ok {
		for _, ind := range c.Indicators {
			m, err := ms.IndicatorMetadata(ctx, ind.Code)
			if err != nil {
				return nil, err
			}
			if !m.Empty() {
				c.Metadata = append(c.Metadata, m)
			}
		}
	}
	return &c, nil
}
