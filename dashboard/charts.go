package dashboard

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"regexp"
	"strings"

	"github.com/go-echarts/go-echarts/v2/opts"
)

// Charts are built with go-echarts and embedded in our own pages. go-echarts
// writes a chart's option into a <script> without escaping it, so a label
// such as "</script><img …>" taken from the data would end the script and
// run as HTML. chart is the one place a chart becomes HTML: it writes the
// option as JSON with <, > and & escaped as \u003c, \u003e and \u0026 for
// a data block (<script type="application/json">, which the browser never
// runs; the layout writes it with the request's nonce), and the element
// the chart is drawn in; static/js/charts.js reads the one and draws into
// the other. ECharts itself encodes names and values before it puts them
// into a tooltip's HTML and draws every other label on a canvas, so the
// strings reach the chart exactly as the data has them and nowhere as
// markup.

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

// echartsChart is what chart needs of a go-echarts chart.
type echartsChart interface {
	Validate()
	JSON() map[string]any
	GetAssets() opts.Assets
}

// chartData is a chart ready for a page: its option as escaped JSON and the
// scripts it needs. It holds nothing of the request, so that pages can be
// cached with their charts.
type chartData struct {
	ID     string
	Option template.JS // JSON, safe inside a script element
	Assets []string    // under /static/
}

// chartSet collects the charts of one page.
type chartSet struct {
	list []chartData
}

var chartIDPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{0,40}$`)

// chart turns a go-echarts chart into the element a page embeds (id
// "chart-"+id, the ID the chart was made with through chartInit) and adds
// its option to set for the layout to write. size is a CSS class of
// static/css/app.css ("chart-tall", "chart-mid"); label describes the
// chart for screen readers.
func (set *chartSet) chart(id string, ch echartsChart, size, label string) (template.HTML, error) {
	if !chartIDPattern.MatchString(id) {
		return "", fmt.Errorf("dashboard: chart ID %q is not a lower-case name", id)
	}
	ch.Validate()
	// encoding/json escapes <, >, &, U+2028 and U+2029 by default: nothing
	// in the option can close the data block or break the page.
	body, err := json.Marshal(ch.JSON())
	if err != nil {
		return "", fmt.Errorf("dashboard: chart %s: %w", id, err)
	}
	if bytes.Contains(body, []byte("__f__")) {
		// A JavaScript function in an option would have to run as code;
		// charts carry data only.
		return "", fmt.Errorf("dashboard: chart %s carries a JavaScript function", id)
	}
	cd := chartData{ID: id, Option: template.JS(body)}
	for _, a := range ch.GetAssets().JSAssets.Values {
		if !strings.HasPrefix(a, localAssets) {
			return "", fmt.Errorf("dashboard: chart %s wants asset %s outside %s", id, a, localAssets)
		}
		cd.Assets = append(cd.Assets, a)
	}
	set.list = append(set.list, cd)
	return template.HTML(fmt.Sprintf(`<div class="chart %s" id="chart-%s" data-chart="%s" role="img" aria-label="%s"></div>`,
		template.HTMLEscapeString(size), id, id, template.HTMLEscapeString(label))), nil
}
