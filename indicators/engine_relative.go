package indicators

import "fmt"

// relative: the end-year value against a base year's value ("tăng 1,5 lần
// so với năm 2020": the bound 1.5 × v_2020). Once the base value is known
// the target is judged as a level against the bound it resolves to;
// before, it is no_data.

// relativeBase is the base year of a relative target: its own, else the
// year before its period.
func (e *engine) relativeBase() int {
	if e.in.Target.BaseYear != 0 {
		return e.in.Target.BaseYear
	}
	return e.in.Target.Period.BaseYear()
}

// resolveRelative turns the ratio bound into the level it asks for once
// the base year's value is known; it reports whether it is.
func (e *engine) resolveRelative() bool {
	base := e.relativeBase()
	v, ok := e.vals[base]
	if !ok {
		return false
	}
	e.use(base)
	ratio, x := e.in.Target.Bound, v.Value
	rb := Bound{Op: ratio.Op, A: ratio.A * x, B: ratio.B * x}
	if x < 0 {
		// A negative base turns "at least 1.5 times" into "at most".
		switch ratio.Op {
		case OpAtLeast:
			rb.Op = OpAtMost
		case OpAtMost:
			rb.Op = OpAtLeast
		case OpAbove:
			rb.Op = OpBelow
		case OpBelow:
			rb.Op = OpAbove
		case OpRange:
			rb.A, rb.B = rb.B, rb.A
		}
	}
	e.bound = rb
	e.p.Band = &Band{From: e.in.Target.Period.From, To: e.in.Target.Period.To,
		Strict: rb.Op == OpAbove || rb.Op == OpBelow, BaseYear: base, BaseValue: fig(x), Ratio: &ratio}
	return true
}

// noBase explains that the level a relative target asks for is not known
// until its base year has a value.
func (e *engine) noBase() Progress {
	base := e.relativeBase()
	r := e.ratioText(base)
	return e.done(NoData, "no_base", bilingual{
		fmt.Sprintf("Chưa có số liệu năm gốc %d nên chưa xác định được mức mục tiêu (%s)", base, r.vi),
		fmt.Sprintf("The base year %d has no figure yet, so the level the target asks for (%s) is not known", base, r.en),
	})
}
