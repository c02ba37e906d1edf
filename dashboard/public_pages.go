package dashboard

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// allGroups asks publicPlanData for the targets of every task group.
const allGroups = -1

// publicPlanData is what a plan's public page draws — its task groups and
// its targets (those of task group group only, when not allGroups) with their
// latest public value and the status where the public rule lets it show —
// computed once per data version, language and day, as the other pages'
// data are.
func (s *Server) publicPlanData(ctx context.Context, lang string, p indicators.Plan, group int) (publicData, error) {
	now := s.now()
	rule, err := s.publicRuleOf(ctx, p.ID)
	if err != nil {
		return publicData{}, err
	}
	// The options are part of the key: switching them writes no data.
	key := fmt.Sprintf("public-plan:%s:%s:%d:%s:%+v", p.ID, lang, group, now.In(indicators.Vietnam).Format("2006-01-02"), rule)
	v, err := s.cached(ctx, key, func(ctx context.Context) (any, error) {
		// Approved figures only, once the office runs the approval cycle.
		tr, err := s.publicTracker(ctx)
		if err != nil {
			return nil, err
		}
		tps, err := tr.Targets(ctx, p.ID, nil, now)
		if err != nil {
			return nil, err
		}
		groups, err := s.store.TaskGroups(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		planURL := "/public/plans/" + url.PathEscape(p.ID)
		d := publicData{Lang: lang, Title: p.Code, Plan: &p, PlanURL: planURL, SourcesURL: planURL + "/sources",
			AsOf: formatDate(lang, now)}
		for _, g := range groups {
			name := fmt.Sprintf("%d. %s", g.Number, pick(lang, g.NameVI, g.NameEN))
			d.Groups = append(d.Groups, publicLink{URL: planURL + "/groups/" + strconv.Itoa(g.Number), Text: name})
			if group != allGroups && g.Number == group {
				d.Group, d.Title = name, name
			}
		}
		if group != allGroups && d.Group == "" {
			return nil, indicators.FieldError(indicators.ENOTFOUND, "group",
				fmt.Sprintf("kế hoạch không có nhóm nhiệm vụ số %d", group), fmt.Sprintf("the plan has no task group %d", group))
		}
		for _, tp := range tps {
			if group != allGroups && tp.Target.Group != group {
				continue
			}
			d.Targets = append(d.Targets, publicTargetRow(lang, planURL, tp, rule))
		}
		return d, nil
	})
	if err != nil {
		return publicData{}, err
	}
	return v.(publicData), nil
}

// publicTargetRow is a target as the public view lists it.
func publicTargetRow(lang, planURL string, tp indicators.TargetProgress, rule publicRule) publicTarget {
	pt := publicTarget{Indicator: tp.Indicator.Code + " " + pick(lang, tp.Indicator.NameVI, tp.Indicator.NameEN),
		IndicatorURL: planURL + "/indicators/" + url.PathEscape(tp.Indicator.Code),
		Period:       tp.Target.Period.String(), Text: tp.Target.Text, Status: "–", Latest: "–"}
	if rule.showsStatus(tp.Progress) {
		pt.Status = tp.Progress.Status.Label(lang)
	}
	var latest *indicators.UsedValue
	for i, v := range tp.Progress.ValuesUsed {
		if rule.showsType(v.Type) && (latest == nil || v.Year > latest.Year) {
			latest = &tp.Progress.ValuesUsed[i]
		}
	}
	if latest != nil {
		pt.Latest = fmt.Sprintf("%s (%d)", formatNum(lang, latest.Value, tp.Indicator.Decimals), latest.Year)
	}
	return pt
}

// publicGroup is a task group of an open plan: its targets.
func (s *Server) publicGroup(c echo.Context) error {
	p, err := s.publicPlan(c)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(pathParam(c, "number"))
	if err != nil || n < 0 {
		return indicators.FieldError(indicators.ENOTFOUND, "group", "không có nhóm nhiệm vụ này", "no such task group")
	}
	d, err := s.publicPlanData(c.Request().Context(), langOf(c), p, n)
	if err != nil {
		return err
	}
	return s.renderPublic(c, d)
}

// publicSources lists the register entries a plan's targets name: where
// its figures and targets come from. Addresses are shown as text: the
// public view links nowhere outside itself.
func (s *Server) publicSources(c echo.Context) error {
	p, err := s.publicPlan(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	lang := langOf(c)
	reg, err := s.register(ctx)
	if err != nil {
		return err
	}
	targets, err := s.store.Targets(ctx, indicators.TargetFilter{Plan: p.ID})
	if err != nil {
		return err
	}
	codes := []string{p.Source}
	for _, t := range targets {
		codes = append(codes, t.Source)
	}
	d := publicData{Lang: lang, Title: s.msgs.translate(lang, "public.sources"), Plan: &p,
		PlanURL: "/public/plans/" + url.PathEscape(p.ID)}
	seen := map[string]bool{}
	for _, list := range codes {
		for _, code := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
			src, ok := reg[code]
			if !ok || seen[code] {
				continue
			}
			seen[code] = true
			v := sourceView{sourceLink: sourceLink{Code: src.Code, Title: src.Title}, Publisher: src.Publisher, DateNote: src.DateNote}
			if !src.Published.IsZero() {
				v.Published = formatDate(lang, src.Published)
			}
			for _, a := range strings.Split(src.Address, " ; ") {
				if a = strings.TrimSpace(a); a != "" {
					v.Addresses = append(v.Addresses, a)
				}
			}
			d.Sources = append(d.Sources, v)
		}
	}
	if len(d.Sources) == 0 {
		d.Sources = []sourceView{} // the page, with nothing listed
	}
	return s.renderPublic(c, d)
}
