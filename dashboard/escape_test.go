package dashboard_test

import (
	"encoding/json"
	"html"
	"regexp"
	"strings"
	"testing"
)

// Names from the data reach the pages and their charts as text, never as
// markup: an indicator and a district named `</script><img …>` neither end
// a script element nor add an element, and the charts still carry the
// names exactly.
func TestHostileNamesAreEscapedInPagesAndCharts(t *testing.T) {
	t.Parallel()
	ts, _, db := newServerDB(t)
	addHostileData(t, db)
	block := regexp.MustCompile(`(?s)<script type="application/json" id="chart-([a-z-]+)-option"[^>]*>(.*?)</script>`)
	for _, tc := range []struct {
		path   string
		charts map[string]string // chart ID → a string its option must hold exactly
	}{
		{"/indicators/" + hostileIndicator + "?period=2021-2025", map[string]string{
			"history": hostileIndicator + " Chỉ tiêu " + hostile, "by-unit": "Quận " + hostile}},
		{"/units?indicator=" + hostileIndicator, map[string]string{"units": "Quận " + hostile}},
		{"/indicators/" + hostileIndicator + "?lang=en", map[string]string{"history": hostileIndicator + " Indicator " + hostile}},
		{"/?period=2021-2025", nil},
		{"/groups/3?period=2021-2025", nil},
		{"/indicators", nil},
	} {
		_, body := get(t, nil, ts.URL+tc.path, 200)
		if strings.Contains(body, hostile) || strings.Contains(body, "<img") {
			i := strings.Index(body, "<img")
			if i < 0 {
				i = strings.Index(body, hostile)
			}
			t.Errorf("%s writes the hostile markup unescaped: …%s…", tc.path, body[max(0, i-120):min(len(body), i+80)])
		}
		if !strings.Contains(body, html.EscapeString(hostile)) && !strings.Contains(body, `\u003c/script\u003e`) {
			t.Errorf("%s does not show the hostile name at all", tc.path)
		}
		found := map[string]string{}
		for _, m := range block.FindAllStringSubmatch(body, -1) {
			found[m[1]] = m[2]
		}
		for id, want := range tc.charts {
			raw, ok := found[id]
			if !ok {
				t.Errorf("%s has no chart %s", tc.path, id)
				continue
			}
			var option any
			if err := json.Unmarshal([]byte(raw), &option); err != nil {
				t.Errorf("%s chart %s option is not JSON: %v", tc.path, id, err)
				continue
			}
			if !holds(option, want) {
				t.Errorf("%s chart %s does not carry %q intact", tc.path, id, want)
			}
		}
	}
}

// holds reports whether s is one of the strings anywhere in v.
func holds(v any, s string) bool {
	switch x := v.(type) {
	case string:
		return x == s
	case []any:
		for _, e := range x {
			if holds(e, s) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if holds(e, s) {
				return true
			}
		}
	}
	return false
}
