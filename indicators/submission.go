package indicators

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// SubmissionState is where a unit's figures for a period stand in the
// reporting cycle (DESIGN.md §2, Submission and approval).
type SubmissionState string

// Submission states. A submission starts submitted; the head of the unit
// approves it or returns it with a note; a new commit touching a submitted
// or approved period before its cut-off sets it back to draft, so that
// figures nobody approved never pass as approved.
const (
	Draft     SubmissionState = "draft"     // changed since it was submitted: to submit again
	Submitted SubmissionState = "submitted" // awaiting the head of unit
	Approved  SubmissionState = "approved"  // approved: counts as the unit's figures
	Returned  SubmissionState = "returned"  // sent back with a note
)

// Label is the state as people read it.
func (s SubmissionState) Label(lang string) string {
	switch s {
	case Submitted:
		return pickLang(lang, "đã gửi, chờ phê duyệt", "submitted, awaiting approval")
	case Approved:
		return pickLang(lang, "đã phê duyệt", "approved")
	case Returned:
		return pickLang(lang, "bị trả lại", "returned")
	}
	return pickLang(lang, "chưa gửi", "not submitted")
}

// SubmissionKey names what is submitted: one unit's figures of one plan for
// one reporting period.
type SubmissionKey struct {
	Plan   string // plan ID
	Unit   string
	Period Period
}

func (k SubmissionKey) String() string { return k.Plan + "/" + k.Unit + "/" + k.Period.String() }

// Submission is a unit's figures for a period, submitted by its planner
// and decided by the head of the unit (role approver).
type Submission struct {
	ID int64
	SubmissionKey
	State       SubmissionState
	Note        string // the approver's note when returned; the planner sees it
	Values      int    // values in force when submitted
	SubmittedBy string
	SubmittedAt time.Time
	DecidedBy   string // who approved or returned it
	DecidedAt   time.Time
	// Unlocked is set when an admin unlocked an approved period after its
	// cut-off, with a reason; the next approval locks it again.
	UnlockedBy   string
	UnlockedAt   time.Time
	UnlockReason string
}

// CutOff is the end of the data cut-off window of period p: the moment
// after which an approved period is locked. The window is the reporting
// obligations' Decree 09/2019/NĐ-CP rule (DefaultCutoff: the 14th of the
// period's last month), closing at the end of that day in Vietnam; every
// lock decision goes through this one name. A plan's edited cut-off days
// move its calendar's deadlines, not yet its locks.
func CutOff(p Period) time.Time {
	f := Yearly
	switch p.Kind {
	case Half:
		f = HalfYear
	case Quarter:
		f = Quarterly
	case Month, YearToDate:
		f = Monthly
	}
	return EndOfDay(DefaultCutoff(f).Window(p).To)
}

// Locked reports whether the submission's period is locked at now:
// approved, past its cut-off, and not unlocked by an admin since.
func (s *Submission) Locked(now time.Time) bool {
	return s.State == Approved && s.UnlockedAt.IsZero() && now.After(CutOff(s.Period))
}

// Covers reports whether the approval of s covers a value entered at
// entered: the submission is approved, and the value was in by then.
func (s *Submission) Covers(entered time.Time) bool {
	return s.State == Approved && !entered.After(s.DecidedAt)
}

// SubmissionAction is a transition of the cycle.
type SubmissionAction string

// Transitions.
const (
	ActSubmit  SubmissionAction = "submit"
	ActApprove SubmissionAction = "approve"
	ActReturn  SubmissionAction = "return"
	ActUnlock  SubmissionAction = "unlock"
)

// MaxNoteLen bounds a return note, an unlock reason and each part of an
// explanation, in characters.
const MaxNoteLen = 4000

// MaySubmit reports whether the actor may submit unit's figures: a planner
// of that unit (or of every unit). An approver decides and does not
// submit; an admin unlocks and does not submit either, so that every
// submission has a planner behind it.
func (a Actor) MaySubmit(unit string) bool {
	return a.Role == Planner && (len(a.Units) == 0 || slices.Contains(a.Units, unit))
}

// MayApprove reports whether the actor may approve or return unit's
// figures: the head of that unit.
func (a Actor) MayApprove(unit string) bool {
	return a.Role == Approver && slices.Contains(a.Units, unit)
}

// CheckTransition refuses a transition that the rules of the cycle do not
// allow to actor a on s (s.ID is 0 when nothing was submitted yet) at now;
// text is the return note or the unlock reason.
func CheckTransition(s Submission, act SubmissionAction, a Actor, text string, now time.Time) error {
	unit, period := s.Unit, s.Period.Label("vi")
	periodEN := s.Period.Label("en")
	forbidden := func(vi, en string) error {
		return FieldError(EFORBIDDEN, "role", fmt.Sprintf("%s %s (đơn vị %s, %s)", a.User, vi, unit, period),
			fmt.Sprintf("%s %s (unit %s, %s)", a.User, en, unit, periodEN))
	}
	conflict := func(vi, en string) error {
		return FieldError(ECONFLICT, "state",
			fmt.Sprintf("số liệu của đơn vị %s, %s đang ở trạng thái “%s”: %s", unit, period, s.State.Label("vi"), vi),
			fmt.Sprintf("the figures of unit %s, %s are %s: %s", unit, periodEN, s.State.Label("en"), en))
	}
	if s.ID == 0 {
		s.State = Draft
	}
	switch act {
	case ActSubmit:
		if !a.MaySubmit(unit) {
			return forbidden("không được gửi số liệu: chỉ chuyên viên của đơn vị mới gửi", "may not submit: only a planner of the unit submits")
		}
		if s.State == Submitted || s.State == Approved {
			return conflict("không gửi lại được", "they cannot be submitted again")
		}
	case ActApprove, ActReturn:
		if !a.MayApprove(unit) {
			return forbidden("không được phê duyệt hay trả lại: chỉ thủ trưởng của đơn vị", "may not approve or return: only the head of the unit")
		}
		if s.State != Submitted {
			return conflict("chỉ phê duyệt hoặc trả lại số liệu đã gửi", "only submitted figures are approved or returned")
		}
		if act == ActReturn && strings.TrimSpace(text) == "" {
			return FieldError(EINVALID, "note", "cần ghi lý do trả lại để đơn vị sửa", "say why the figures are returned, so that the unit can mend them")
		}
	case ActUnlock:
		if a.Role != Admin {
			return forbidden("không được mở khóa: chỉ quản trị viên", "may not unlock: only an admin")
		}
		if !s.Locked(now) {
			return conflict("chỉ mở khóa kỳ đã phê duyệt và đã qua hạn chốt số liệu", "only an approved period past its cut-off is unlocked")
		}
		if strings.TrimSpace(text) == "" {
			return FieldError(EINVALID, "reason", "cần ghi lý do mở khóa", "give the reason for unlocking")
		}
	default:
		return FieldError(EINVALID, "action", fmt.Sprintf("thao tác %q không hợp lệ", act), fmt.Sprintf("action %q is not valid", act))
	}
	if utf8.RuneCountInString(text) > MaxNoteLen {
		return FieldError(EINVALID, "note", "ghi chú tối đa 4.000 ký tự", "the note has at most 4,000 characters")
	}
	return CheckName("note", "ghi chú", "the note", strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", " "), "\n", " "))
}

// LockedError is the refusal of a value that would change a locked
// period, at its cell when it came from a spreadsheet.
func LockedError(s Submission, k Key, sheet, cell string) *Error {
	at := ""
	if cell != "" {
		at = sheet + "!" + cell + ": "
	}
	cut := CutOff(s.Period).In(Vietnam).Format("02/01/2006")
	return FieldError(ECONFLICT, "cell",
		fmt.Sprintf("%ssố liệu %s của đơn vị %s, %s đã được %s phê duyệt và khóa sau hạn chốt %s; cần quản trị viên mở khóa (ghi lý do) trước khi sửa",
			at, k.Indicator, k.Unit, s.Period.Label("vi"), s.DecidedBy, cut),
		fmt.Sprintf("%sthe value of %s for unit %s, %s was approved by %s and is locked since the cut-off of %s; an admin must unlock it (with a reason) before it changes",
			at, k.Indicator, k.Unit, s.Period.Label("en"), s.DecidedBy, cut))
}

// LockKey is what a lock covers: an indicator of the approved plan, for
// the unit and period approved.
type LockKey struct {
	Indicator, Unit string
	Period          string // Period.String: a year read as Kind "" or "year" is one key
}

// Locks are the locked periods at a moment: for each indicator, unit and
// period that an approved submission past its cut-off covers, that
// submission.
type Locks map[LockKey]Submission

// Locked returns the submission that locks k's indicator, unit and period.
func (l Locks) Locked(k Key) (Submission, bool) {
	s, ok := l[LockKey{k.Indicator, k.Unit, k.Period.String()}]
	return s, ok
}

// SubmissionFilter selects submissions; zero fields select all.
type SubmissionFilter struct {
	Plan   string
	Units  []string
	Period *Period
	State  SubmissionState
}

// SubmissionStore keeps the reporting cycle. Every transition is one
// transaction with its audit event, naming the actor of ctx, and is
// checked there by CheckTransition.
type SubmissionStore interface {
	Submissions(ctx context.Context, f SubmissionFilter) ([]Submission, error)
	// Submission returns the submission of k, or ENOTFOUND.
	Submission(ctx context.Context, k SubmissionKey) (Submission, error)
	// Submit submits the unit's values in force for the period (refused
	// when there are none).
	Submit(ctx context.Context, k SubmissionKey) (Submission, error)
	// Decide approves or returns a submitted period; a return needs a note.
	Decide(ctx context.Context, k SubmissionKey, approve bool, note string) (Submission, error)
	// Unlock lifts the lock of an approved period past its cut-off.
	Unlock(ctx context.Context, k SubmissionKey, reason string) (Submission, error)
	// Approvals returns what tells approved values from the others.
	Approvals(ctx context.Context) (Approvals, error)
}
