package main

import (
	"context"
	"fmt"
	"time"

	"chitieu/indicators"
)

// The reporting calendar's load: every commune owes every indicator each
// month of calendarYear under the root plan, and has reported most months
// — on time, late, or not at all, by a rule of the unit and the month —
// so that the page counts 103 × 12 reports over 103 × 62 × 12 figures.

const calendarYear = 2025

// calendarPath is the calendar page as a leader opens it: the whole year
// due.
func calendarPath(plan string) string {
	return fmt.Sprintf("/calendar?plan=%s&year=%d&asof=%d-12-31", plan, calendarYear, calendarYear)
}

// seedCalendar stores the obligations and the figures once; a database
// that has them is left alone. It returns the root plan's ID.
func seedCalendar(ctx context.Context, db store) (string, error) {
	ctx = indicators.WithActor(ctx, indicators.Actor{User: "bench"})
	plans, err := db.Plans(ctx)
	if err != nil {
		return "", err
	}
	plan := ""
	for _, p := range plans {
		if p.Parent == "" {
			plan = p.ID
			break
		}
	}
	have, err := db.Obligations(ctx, indicators.ObligationFilter{Plan: plan})
	if err != nil || len(have) > 0 {
		return plan, err
	}
	units, err := db.Units(ctx)
	if err != nil {
		return "", err
	}
	inds, err := db.Indicators(ctx)
	if err != nil {
		return "", err
	}
	var codes []string
	for _, ind := range inds {
		codes = append(codes, ind.Code)
	}
	start := time.Now()
	var communes int
	for ui, u := range units {
		if u.Kind != indicators.Commune {
			continue
		}
		communes++
		o := indicators.Obligation{Plan: plan, Unit: u.Code, Indicators: codes, Frequency: indicators.Monthly, FromYear: calendarYear}
		if err := db.AddObligation(ctx, &o); err != nil {
			return "", err
		}
		var vs []indicators.Value
		for m := 1; m <= 12; m++ {
			// One unit-month in seven is missing, one in five late (ten
			// days after the 14th), the others on the 10th.
			switch {
			case (ui+m)%7 == 0:
				continue
			}
			day := 10
			if (ui*3+m)%5 == 0 {
				day = 24
			}
			at := time.Date(calendarYear, time.Month(m), day, 9, 0, 0, 0, indicators.Vietnam)
			for _, code := range codes {
				vs = append(vs, indicators.Value{Key: indicators.Key{Indicator: code, Unit: u.Code,
					Period: indicators.Period{Year: calendarYear, Kind: indicators.Month, N: m}, Type: indicators.EstimateValue},
					Value: float64(ui + m), Source: "bench", EnteredAt: at})
			}
		}
		if err := db.AddValues(ctx, vs); err != nil {
			return "", err
		}
	}
	fmt.Printf("calendar: %d communes × %d indicators × 12 months stored in %s\n", communes, len(codes),
		time.Since(start).Round(time.Second))
	return plan, nil
}
