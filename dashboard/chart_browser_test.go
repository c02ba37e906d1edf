package dashboard_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"chitieu/indicators"
)

// TestBrowser/ChartTargets: every target line and band is inside the value
// axis (ECO-03's 145–160, about 215 and ≥ 220 reach far above its values of
// 80–105), a target is drawn even where the indicator has no value yet
// (SOC-19, "không quá 4 %"), and the headline cards say the year of their
// figure.
func browserChartTargets(t *testing.T) {
	ts, _, _ := newServerDB(t)
	ctx, _ := browser(t, 1280, 900)
	base := ts.URL
	as(t, base, indicators.Leader) // adds the leader the browser signs in as
	signIn(t, ctx, base, "/?period=2021-2025")

	extent := func(id string) (lo, hi float64) {
		js := fmt.Sprintf(`JSON.stringify(echarts.getInstanceByDom(document.getElementById(%q)).getModel().getComponent('yAxis', 0).axis.scale.getExtent())`, "chart-"+id)
		var ext []float64
		if err := json.Unmarshal([]byte(evalString(t, ctx, js)), &ext); err != nil || len(ext) != 2 {
			t.Fatalf("axis extent of %s: %v %v", id, ext, err)
		}
		return ext[0], ext[1]
	}
	// marks lists the values of every band end and target line the chart holds.
	marks := func(o map[string]any) []float64 {
		var out []float64
		for _, s := range o["series"].([]any) {
			m := s.(map[string]any)
			if ma, ok := m["markArea"].(map[string]any); ok {
				data, _ := ma["data"].([]any)
				for _, pair := range data {
					for _, end := range pair.([]any) {
						c := end.(map[string]any)["coord"].([]any)
						out = append(out, c[1].(float64))
					}
				}
			}
			if ml, ok := m["markLine"].(map[string]any); ok {
				data, _ := ml["data"].([]any)
				for _, pair := range data {
					if seg, ok := pair.([]any); ok {
						c := seg[0].(map[string]any)["coord"].([]any)
						if y, ok := c[1].(float64); ok {
							out = append(out, y)
						}
					}
				}
			}
		}
		return out
	}
	has := func(xs []float64, want float64) bool {
		for _, x := range xs {
			if x > want-1e-6 && x < want+1e-6 {
				return true
			}
		}
		return false
	}

	t.Run("ECO-03 axis holds every target", func(t *testing.T) {
		open(t, ctx, base+"/indicators/ECO-03", "history")
		ms := marks(option(t, ctx, "history"))
		for _, want := range []float64{145, 160, 220} {
			if !has(ms, want) {
				t.Errorf("ECO-03 chart marks %v, want one at %v", ms, want)
			}
		}
		lo, hi := extent("history")
		for _, m := range ms {
			if m < lo || m > hi {
				t.Errorf("ECO-03 value axis %v–%v leaves the target at %v off the chart", lo, hi, m)
			}
		}
		if lo > 145 || hi < 220 {
			t.Errorf("ECO-03 value axis %v–%v, want it to hold 145–160 and 220", lo, hi)
		}
		shot(t, ctx, "eco-03-targets")
	})

	t.Run("SOC-19 target with no value", func(t *testing.T) {
		open(t, ctx, base+"/indicators/SOC-19", "history")
		ms := marks(option(t, ctx, "history"))
		if !has(ms, 4) {
			t.Errorf("SOC-19 chart marks %v, want its target line at 4 %%", ms)
		}
		if lo, hi := extent("history"); lo > 4 || hi < 4 {
			t.Errorf("SOC-19 value axis %v–%v leaves the 4 %% target off the chart", lo, hi)
		}
		shot(t, ctx, "soc-19-target")
	})

	t.Run("headline cards say the year of their figure", func(t *testing.T) {
		open(t, ctx, base+"/?period=2021-2025")
		raw := evalString(t, ctx, `JSON.stringify([...document.querySelectorAll('article.tile')].map(a => [a.querySelector('.value').innerText, (a.querySelector('.figure-when')||{}).innerText||'']))`)
		var tiles [][2]string
		if err := json.Unmarshal([]byte(raw), &tiles); err != nil || len(tiles) == 0 {
			t.Fatalf("headline cards %s: %v", raw, err)
		}
		year := regexp.MustCompile(`\b20\d\d\b`)
		for _, tile := range tiles {
			if strings.TrimSpace(tile[0]) == "–" {
				continue
			}
			if !year.MatchString(tile[1]) {
				t.Errorf("headline card %q does not say the year of its figure (%q)", tile[0], tile[1])
			}
		}
	})
}
