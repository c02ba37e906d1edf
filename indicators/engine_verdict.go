package indicators

// Judge gives the administrative verdict of a year's value v against that
// year's plan value: vượt when better than the plan (past the top of a
// planned range when higher is better, below its bottom when lower is
// better), đạt when it meets the plan or lies within the range, không đạt
// when worse. For a Within indicator only the range counts.
func Judge(v float64, plan Value, d Direction) Verdict {
	lo, hi := plan.Value, plan.Value
	if plan.High != nil {
		hi = *plan.High
	}
	inside := v >= lo-eps && v <= hi+eps
	switch {
	case d == Within && inside:
		return Met
	case d == Within:
		return NotMet
	case d == Down && v < lo-eps:
		return Exceeded
	case d == Down && v <= hi+eps:
		return Met
	case d == Down:
		return NotMet
	case v > hi+eps:
		return Exceeded
	case v >= lo-eps:
		return Met
	}
	return NotMet
}
