package reports

import (
	"context"
	"fmt"
	"math"

	"chitieu/indicators"

	"github.com/xuri/excelize/v2"
)

// chartRows is the height of a chart in rows, chartCols its width in
// columns of the default width: two charts side by side fill a landscape
// page at full size, and two rows of them its height.
const (
	chartRows = 15
	chartCols = 8
)

// maxCharts bounds the charts sheet to what a reader takes in.
const maxCharts = 12

// headline picks the targets that get a chart: the quantified ones of the
// overall group (number 0, the headline and cross-cutting targets), or the
// first quantified ones when the report has none of that group.
func (p *progress) headline() []targetRow {
	var overall, any []targetRow
	for _, sec := range p.sections {
		for _, r := range sec.rows {
			t := r.tp.Target
			if t.Kind == indicators.MilestoneTarget || !t.Bound.Quantified() {
				continue
			}
			if !sec.other && sec.group.Number == 0 {
				overall = append(overall, r)
			}
			any = append(any, r)
		}
	}
	if len(overall) == 0 {
		overall = any
	}
	if len(overall) > maxCharts {
		overall = overall[:maxCharts]
	}
	return overall
}

// chartYears are the years on a chart's axis: five before the period
// starts, to show the history, up to its end.
func (p *progress) chartYears() (from, to int) { return p.period.BaseYear() - 4, p.period.To }

// chartSeries is one line of a chart: its label and a value per year.
type chartSeries struct {
	label  string
	values map[int]float64
	target bool
}

// series gives a headline target's lines: the history, then the target as
// a line (a level to reach, the path of the required average growth, or
// the yearly share of a cumulative total), one per finite end of the bound.
func (p *progress) series(r targetRow) []chartSeries {
	l := p.lang
	t, ind := r.tp.Target, r.tp.Indicator
	from, to := p.chartYears()
	history := chartSeries{label: l.pick("thực hiện", "actual"), values: map[int]float64{}}
	for y := from; y <= to; y++ {
		if v, ok := r.actual[y]; ok {
			history.values[y] = v.Value
		}
	}
	out := []chartSeries{history}
	// The band as the engine judged it: tolerance applied, a relative
	// target's bound resolved from its base year.
	ends := []float64{}
	if b := r.tp.Progress.Band; b != nil {
		for _, e := range []*float64{b.Lo, b.Hi} {
			if e != nil && (len(ends) == 0 || *e != ends[0]) {
				ends = append(ends, *e)
			}
		}
	}
	for i, e := range ends {
		label := l.pick("mục tiêu", "target")
		if len(ends) == 2 {
			label = []string{l.pick("mục tiêu (cận dưới)", "target (low)"), l.pick("mục tiêu (cận trên)", "target (high)")}[i]
		}
		line := chartSeries{label: label, values: map[int]float64{}, target: true}
		switch {
		case t.Kind == indicators.AvgGrowthTarget && ind.Measure != indicators.GrowthRate:
			base, ok := r.actual[r.baseYear]
			if !ok {
				continue
			}
			line.label += l.pick(" — lộ trình tăng trưởng", " — growth path")
			for y := r.baseYear; y <= to; y++ {
				line.values[y] = *fig(base.Value * math.Pow(1+e/100, float64(y-r.baseYear)))
			}
		case t.Kind == indicators.CumulativeTarget:
			line.label += l.pick(" — bình quân mỗi năm", " — yearly share")
			for y := p.period.From; y <= p.period.To; y++ {
				line.values[y] = *fig(e / float64(p.period.Years()))
			}
		default:
			for y := p.period.From; y <= p.period.To; y++ {
				line.values[y] = e
			}
		}
		out = append(out, line)
	}
	return out
}

// chartBlock is where one chart's series sit on the chart data sheet.
type chartBlock struct {
	row    targetRow
	title  string
	first  int // sheet row of the first series
	series []chartSeries
}

func (p *progress) chartBlocks(rows []targetRow) []chartBlock {
	l := p.lang
	next := 2 // row 1 holds the years
	out := make([]chartBlock, len(rows))
	for i, r := range rows {
		ind := r.tp.Indicator
		title := fmt.Sprintf("%s (%s, %s): %s", pickName(l, ind.NameVI, ind.NameEN), pickName(l, ind.Unit, ind.UnitEN),
			r.planCode, targetText(l, r.tp.Target, ind.Decimals))
		out[i] = chartBlock{row: r, title: title, first: next, series: p.series(r)}
		next += len(out[i].series)
	}
	return out
}

// chartDataSheet holds the numbers the charts draw, one row per line.
func (p *progress) chartDataSheet(name string, rows []targetRow) *sheet {
	l := p.lang
	from, to := p.chartYears()
	widths := []float64{44}
	for y := from; y <= to; y++ {
		widths = append(widths, 9)
	}
	s := &sheet{name: name, hashed: true, headFrom: 1, headTo: 1, widths: widths, freezeCols: 1, freezeRows: 1, print: true, fitRows: true}
	s.rows = func(ctx context.Context, emit func([]cell) error) error {
		head := []cell{text(l.pick("Chuỗi số liệu", "Series"), headStyle)}
		for y := from; y <= to; y++ {
			head = append(head, number(float64(y), headStyle))
		}
		if err := emit(head); err != nil {
			return err
		}
		for _, b := range p.chartBlocks(rows) {
			dec := b.row.tp.Indicator.Decimals
			for _, s := range b.series {
				row := []cell{text(b.row.tp.Target.Indicator+" · "+b.row.planCode+" · "+s.label, cellStyle)}
				for y := from; y <= to; y++ {
					if v, ok := s.values[y]; ok {
						row = append(row, number(v, style{border: true, numFmt: numFmt(l, dec, "")}))
					} else {
						row = append(row, empty(cellStyle))
					}
				}
				if err := emit(row); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return s
}

// chartSheet draws a native line chart per headline target from the chart
// data sheet: the history with markers, the target as a dashed red line.
func (p *progress) chartSheet(name, dataName string, rows []targetRow) *sheet {
	l := p.lang
	return &sheet{name: name, print: true, draw: func(wb *workbook) error {
		title := l.pick("Diễn biến các chỉ tiêu chủ yếu so với mục tiêu", "The headline indicators against their targets")
		if len(rows) == 0 {
			title = l.pick("Không có chỉ tiêu chủ yếu nào để vẽ biểu đồ.", "There are no headline targets to chart.")
		}
		if err := wb.set(name, "A1", text(title, style{bold: true, size: 14})); err != nil {
			return err
		}
		from, to := p.chartYears()
		q := quoteSheet(dataName)
		lastCol, _ := excelize.ColumnNumberToName(1 + to - from + 1)
		cats := fmt.Sprintf("%s!$B$1:$%s$1", q, lastCol)
		for i, b := range p.chartBlocks(rows) {
			var series []excelize.ChartSeries
			for k, s := range b.series {
				r := b.first + k
				cs := excelize.ChartSeries{
					Name:       fmt.Sprintf("%s!$A$%d", q, r),
					Categories: cats,
					Values:     fmt.Sprintf("%s!$B$%d:$%s$%d", q, r, lastCol, r),
					Marker:     excelize.ChartMarker{Symbol: "circle", Size: 5},
					Line:       excelize.LineOptions{Width: 2.25},
				}
				if s.target {
					cs.Marker = excelize.ChartMarker{Symbol: "none"}
					cs.Line = excelize.LineOptions{Width: 1.5, Dash: excelize.LineDashDash,
						Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"C00000"}}}
				}
				series = append(series, cs)
			}
			at := ref(1+(i%2)*chartCols, 3+(i/2)*chartRows)
			if err := wb.f.AddChart(name, at, &excelize.Chart{
				Type:      excelize.Line,
				Series:    series,
				Dimension: excelize.ChartDimension{Width: 500, Height: 280},
				Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: cleanText(b.title),
					Font: &excelize.Font{Bold: true, Size: 11, Family: fontFamily}}}},
				Legend:       excelize.ChartLegend{Position: "bottom", Font: &chartFont},
				ShowBlanksAs: "gap",
				XAxis:        excelize.ChartAxis{Font: chartFont},
				YAxis:        excelize.ChartAxis{MajorGridLines: true, Font: chartFont},
				Format:       excelize.GraphicOptions{PrintObject: ptr(true), Locked: ptr(false)},
			}); err != nil {
				return fmt.Errorf("reports: chart %d: %w", i+1, err)
			}
			// Two rows of charts fill a landscape page; the next pair
			// starts a page, so that no chart is cut in two.
			if i > 0 && i%4 == 0 {
				if err := wb.f.InsertPageBreak(name, ref(1, 3+(i/2)*chartRows)); err != nil {
					return fmt.Errorf("reports: page break before chart %d: %w", i+1, err)
				}
			}
		}
		return nil
	}}
}

// chartFont is the type of the axes and legends: black, and large enough
// to read at 8 pt or more once the sheet is fitted to a landscape page.
var chartFont = excelize.Font{Family: fontFamily, Size: 11, Color: "000000"}

func ptr[T any](v T) *T { return &v }
