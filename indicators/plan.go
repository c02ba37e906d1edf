package indicators

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
)

// Plan is a framework of targets: a resolution, programme or plan (khung kế
// hoạch / nghị quyết). Two Politburo resolutions are numbered 59-NQ/TW, so a
// plan is known by its code and its issue date together.
type Plan struct {
	ID          string    // URL-safe key made from the code and the date
	Code        string    // "59-NQ/TW"
	Issued      time.Time // the act's date, in Vietnam
	IssuedNote  string    // how sure the date is, when it is not the act's own
	IssuingBody string    // "Bộ Chính trị"
	TitleVI     string
	TitleEN     string
	HorizonFrom int // first year the plan covers
	HorizonTo   int // last year the plan covers (or of its vision)
	Scope       Scope
	Parent      string // ID of the plan this one makes concrete, if any
	Source      string // source codes of the reference sheet, "S08"
	Order       int    // place in lists
	// Incomplete says which parts of the plan's list are not public in full
	// ("Mục 10–20 chưa công bố đầy đủ"), so that no page passes off what the
	// catalogue holds as the whole plan. The catalogue owns it: admin forms
	// and the plan workbook neither show nor change it, hence no JSON.
	Incomplete   string `json:"-"`
	IncompleteEN string `json:"-"`
}

// PlanID builds a plan's URL-safe key from its code and issue date:
// 59-NQ/TW of 5 August 2020 becomes "59-nq-tw-2020-08-05".
func PlanID(code string, issued time.Time) string {
	s := Slug(code)
	if !issued.IsZero() {
		s += "-" + issued.Format(DateLayout)
	}
	return s
}

var slugRun = regexp.MustCompile(`[^a-z0-9]+`)

// Slug turns a code into lower-case ASCII letters, digits and hyphens,
// dropping Vietnamese diacritics (đ becomes d).
func Slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		b.WriteRune(FoldRune(r))
	}
	return strings.Trim(slugRun.ReplaceAllString(b.String(), "-"), "-")
}

// Validate checks the fields a plan cannot do without.
func (p *Plan) Validate() error {
	switch {
	case p.ID != "" && !ValidPlanID(p.ID):
		return FieldError(EINVALID, "id",
			fmt.Sprintf("mã kế hoạch %q không hợp lệ (chữ thường không dấu, số, gạch nối)", p.ID),
			fmt.Sprintf("plan ID %q is not valid (lower-case letters, digits, hyphens)", p.ID))
	case strings.TrimSpace(p.Code) == "":
		return FieldError(EINVALID, "code", "thiếu số hiệu văn bản", "the plan code is missing")
	case p.Issued.IsZero() && strings.TrimSpace(p.IssuedNote) == "":
		// A plan whose date the sources do not give keeps a note saying so
		// rather than an invented date.
		return FieldError(EINVALID, "issued", "thiếu ngày ban hành", "the issue date is missing")
	case strings.TrimSpace(p.TitleVI) == "":
		return FieldError(EINVALID, "title_vi", "thiếu tên văn bản (tiếng Việt)", "the Vietnamese title is missing")
	case p.HorizonFrom != 0 && (p.HorizonFrom < 1900 || p.HorizonFrom > 2200),
		p.HorizonTo != 0 && (p.HorizonTo < 1900 || p.HorizonTo > 2200):
		return FieldError(EINVALID, "horizon", "năm của tầm kế hoạch phải từ 1900 đến 2200", "the horizon years must be 1900–2200")
	case p.HorizonFrom != 0 && p.HorizonTo != 0 && p.HorizonFrom > p.HorizonTo:
		return FieldError(EINVALID, "horizon", "năm bắt đầu sau năm kết thúc", "the horizon starts after it ends")
	}
	if err := checkNames(nameField{"code", "số hiệu văn bản", "the plan code", p.Code},
		nameField{"title_vi", "tên văn bản (tiếng Việt)", "the Vietnamese title", p.TitleVI},
		nameField{"title_en", "tên văn bản (tiếng Anh)", "the English title", p.TitleEN},
		nameField{"issuing_body", "cơ quan ban hành", "the issuing body", p.IssuingBody}); err != nil {
		return err
	}
	if p.Scope != "" {
		if err := p.Scope.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// TaskGroup is one of a plan's ordered groups of tasks and solutions (nhóm
// nhiệm vụ, giải pháp). Number 0 holds the overall targets.
type TaskGroup struct {
	Plan    string // plan ID
	Number  int    // 0–10 for Resolution 59
	NameVI  string
	NameEN  string
	ScopeVI string // one line on what it covers
	ScopeEN string
}

// Validate checks a task group.
func (g *TaskGroup) Validate() error {
	switch {
	case g.Plan == "":
		return FieldError(EINVALID, "plan", "thiếu kế hoạch của nhóm nhiệm vụ", "the group's plan is missing")
	case g.Number < 0 || g.Number > 99:
		return FieldError(EINVALID, "number", "số thứ tự nhóm phải từ 0 đến 99", "the group number must be 0–99")
	case strings.TrimSpace(g.NameVI) == "":
		return FieldError(EINVALID, "name_vi", "thiếu tên nhóm nhiệm vụ", "the group name is missing")
	}
	return checkNames(nameField{"name_vi", "tên nhóm nhiệm vụ", "the group name", g.NameVI},
		nameField{"name_en", "tên nhóm nhiệm vụ (tiếng Anh)", "the group's English name", g.NameEN})
}

// Task is a qualitative commitment of a plan (nhiệm vụ, công trình trọng
// điểm): a lead agency, an optional start, a deadline and how far along it is.
type Task struct {
	ID         int64
	Code       string // stable key, "G3-T01"
	Plan       string
	Group      int
	NameVI     string
	NameEN     string
	LeadAgency string    // unit code of the agency in charge
	Start      time.Time // zero when the sources give none
	Deadline   time.Time // zero when there is none
	Percent    *float64  // 0–100 as last reported; nil while nothing is known
	Done       time.Time // when it was finished; zero while open or unknown
	StatusNote string
	Source     string
}

// Validate checks a task.
func (t *Task) Validate() error {
	switch {
	case strings.TrimSpace(t.Code) == "":
		return FieldError(EINVALID, "code", "thiếu mã nhiệm vụ", "the task code is missing")
	case strings.ContainsAny(t.Code, " \t\n") || len(t.Code) > 40:
		return FieldError(EINVALID, "code",
			fmt.Sprintf("mã nhiệm vụ %q không hợp lệ (không dấu cách, tối đa 40 ký tự)", t.Code),
			fmt.Sprintf("task code %q is not valid (no spaces, at most 40 characters)", t.Code))
	case t.Plan == "":
		return FieldError(EINVALID, "plan", "thiếu kế hoạch của nhiệm vụ", "the task's plan is missing")
	case t.Group < 0 || t.Group > 99:
		return FieldError(EINVALID, "group", "số thứ tự nhóm phải từ 0 đến 99", "the group number must be 0–99")
	case strings.TrimSpace(t.NameVI) == "":
		return FieldError(EINVALID, "name_vi", "thiếu tên nhiệm vụ", "the task name is missing")
	case t.Percent != nil && (*t.Percent < 0 || *t.Percent > 100):
		return FieldError(EINVALID, "percent",
			fmt.Sprintf("tỷ lệ hoàn thành %v%% phải từ 0 đến 100", *t.Percent),
			fmt.Sprintf("percent complete %v must be 0–100", *t.Percent))
	case !t.Start.IsZero() && !t.Deadline.IsZero() && t.Deadline.Before(t.Start):
		return FieldError(EINVALID, "deadline", "thời hạn trước ngày bắt đầu", "the deadline is before the start")
	case !t.Start.IsZero() && !t.Done.IsZero() && t.Done.Before(t.Start):
		return FieldError(EINVALID, "done", "ngày hoàn thành trước ngày bắt đầu", "the task is done before it starts")
	}
	return checkNames(nameField{"name_vi", "tên nhiệm vụ", "the task name", t.NameVI},
		nameField{"name_en", "tên nhiệm vụ (tiếng Anh)", "the task's English name", t.NameEN})
}

// TaskUpdate records progress on a task; updates are kept, never replaced.
type TaskUpdate struct {
	Task      int64
	Percent   float64
	Note      string
	Date      time.Time // the day the progress refers to
	Done      bool
	EnteredBy string
	EnteredAt time.Time
}

// FoldRune maps a Vietnamese letter to its base ASCII letter (ă, â, á … → a;
// đ → d), for keys and for matching names; other runes pass through.
func FoldRune(r rune) rune {
	if r < 0x80 {
		return r
	}
	if m, ok := foldTable[r]; ok {
		return m
	}
	if unicode.Is(unicode.Mn, r) {
		return -1
	}
	return r
}

var foldTable = func() map[rune]rune {
	groups := map[rune]string{
		'a': "àáảãạăằắẳẵặâầấẩẫậ", 'e': "èéẻẽẹêềếểễệ", 'i': "ìíỉĩị",
		'o': "òóỏõọôồốổỗộơờớởỡợ", 'u': "ùúủũụưừứửữự", 'y': "ỳýỷỹỵ", 'd': "đ",
		'A': "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", 'E': "ÈÉẺẼẸÊỀẾỂỄỆ", 'I': "ÌÍỈĨỊ",
		'O': "ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", 'U': "ÙÚỦŨỤƯỪỨỬỮỰ", 'Y': "ỲÝỶỸỴ", 'D': "Đ",
	}
	m := map[rune]rune{}
	for base, list := range groups {
		for _, r := range list {
			m[r] = base
		}
	}
	return m
}()
