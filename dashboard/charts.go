package dashboard

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"regexp"
	"slices"
	"strings"

	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/labstack/echo/v4"
)

// Charts are built with go-echarts and embedded in our own pages. go-echarts
// writes a chart's option into a <script> without escaping it, so a label
// such as "</script><img …>" taken from the data would end the script and
// run as HTML. chartHTML is the one place a chart becomes HTML: it writes
// the option as JSON with <, > and & escaped as \u003c, \u003e and \u0026,
// inside a data block (type="application/json") that the browser never runs;
// static/js/charts.js reads it and draws the chart. ECharts itself encodes
// names and values before it puts them into a tooltip's HTML, and draws
// every other label on a canvas, so the strings reach the chart exactly as
// the data has them and nowhere as markup.

// chartAssetsKey is where a request collects the scripts its charts need;
// render adds them to the page.
const chartAssetsKey = "chart_assets"

// localAssets is where go-echarts is told to find ECharts: in the binary's
// own static folder, never on the internet.
const localAssets = staticPrefix + "vendor/"

// chartInit is the initialisation every chart starts from: ECharts from
// the local assets and a stable element ID, so that pages and tests can
// find the chart.
func chartInit(id string) opts.Initialization {
	return opts.Initialization{ChartID: id, AssetsHost: localAssets, Renderer: "canvas", Theme: "white",
		Width: "100%", Height: "100%"}
}

// echartsChart is what chartHTML needs of a go-echarts chart.
type echartsChart interface {
	Validate()
	JSON() map[string]any
	GetAssets() opts.Assets
}

var chartIDPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{0,40}$`)

// chartHTML turns a chart into the HTML a page embeds: a <div> the chart
// is drawn in (id "chart-"+id, the ID the chart was made with through
// chartInit) and a JSON data block with its option. size is a CSS class
// of static/css/app.css ("chart-tall", "chart-short", "chart-spark").
// label describes the chart for screen readers.
func (s *Server) chartHTML(c echo.Context, id string, ch echartsChart, size, label string) (template.HTML, error) {
	ch.Validate()
	option := ch.JSON()
	if !chartIDPattern.MatchString(id) {
		return "", fmt.Errorf("dashboard: chart ID %q is not a lower-case name", id)
	}
	// encoding/json escapes <, >, &, U+2028 and U+2029 by default: nothing
	// in the option can close the data block or break the page.
	body, err := json.Marshal(option)
	if err != nil {
		return "", fmt.Errorf("dashboard: chart %s: %w", id, err)
	}
	if bytes.Contains(body, []byte("__f__")) {
		// A JavaScript function in an option would have to run as code;
		// charts carry data only.
		return "", fmt.Errorf("dashboard: chart %s carries a JavaScript function", id)
	}
	list, _ := c.Get(chartAssetsKey).([]string)
	for _, a := range ch.GetAssets().JSAssets.Values {
		if !strings.HasPrefix(a, localAssets) {
			return "", fmt.Errorf("dashboard: chart %s wants asset %s outside %s", id, a, localAssets)
		}
		if !slices.Contains(list, a) {
			list = append(list, a)
		}
	}
	c.Set(chartAssetsKey, list)
	var b strings.Builder
	fmt.Fprintf(&b, `<div class="chart %s" id="chart-%s" data-chart="%s" role="img" aria-label="%s"></div>`,
		template.HTMLEscapeString(size), id, id, template.HTMLEscapeString(label))
	fmt.Fprintf(&b, `<script type="application/json" id="chart-%s-option" nonce="%s">%s</script>`,
		id, template.HTMLEscapeString(nonceOf(c)), body)
	return template.HTML(b.String()), nil
}
