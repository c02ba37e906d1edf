package indicators

// Roll counts statuses and scores them: (achieved + on_track + ½·at_risk) ÷
// the statuses that rest on data. no_data is counted apart and left out of
// the score, which is nil when fewer than half the items rest on data.
func Roll(statuses []Status) RollUp {
	r := RollUp{Counts: map[Status]int{}}
	// Every status is present, zero or not, so that a page or an export
	// lists them all in the same columns.
	for _, st := range Statuses {
		r.Counts[st] = 0
	}
	for _, st := range statuses {
		r.Counts[st]++
	}
	r.Total = len(statuses)
	r.NoData = r.Counts[NoData]
	r.RestsOn = r.Total - r.NoData
	// No score when fewer than half the items rest on data: 2 on track and
	// 4 without data is not 100 out of 100.
	if r.RestsOn > 0 && 2*r.RestsOn >= r.Total {
		good := float64(r.Counts[Achieved]+r.Counts[OnTrack]) + 0.5*float64(r.Counts[AtRisk])
		r.Score = fig(good / float64(r.RestsOn))
	}
	return r
}
