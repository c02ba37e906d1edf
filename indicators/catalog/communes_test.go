package catalog

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
	"chitieu/internal/fixture"
)

// The 103 commune-level units of the merged city (NQ 1668/NQ-UBTVQH15):
// 31 phường and 72 xã, every one of communes-2025.md by name, valid from
// 1 July 2025, under the merged city, with an internal code that is not an
// official one and that keeps look-alike names apart.
func TestCommunesOfTheMergedCity(t *testing.T) {
	c := load(t)
	merger := time.Date(2025, 7, 1, 0, 0, 0, 0, indicators.Vietnam)
	byName := map[string]indicators.Unit{}
	wards, communes := 0, 0
	for _, u := range c.Units {
		if u.Kind != indicators.Commune {
			continue
		}
		byName[u.NameVI] = u
		switch {
		case u.Type == "phường" && strings.HasPrefix(u.NameVI, "Phường ") && strings.HasPrefix(u.Code, "P-"):
			wards++
		case u.Type == "xã" && strings.HasPrefix(u.NameVI, "Xã ") && strings.HasPrefix(u.Code, "X-"):
			communes++
		default:
			t.Errorf("unit %s %q: type %q does not match its name and code", u.Code, u.NameVI, u.Type)
		}
		if !u.ValidFrom.Equal(merger) || !u.ValidTo.IsZero() || u.Parent != "CT" || u.Scope != indicators.MergedCity || u.Source != "S64" {
			t.Errorf("unit %s: valid %v–%v, parent %q, scope %q, source %q; want from 2025-07-01, open, CT, merged city, S64",
				u.Code, u.ValidFrom, u.ValidTo, u.Parent, u.Scope, u.Source)
		}
		if regexp.MustCompile(`^[0-9]+$`).MatchString(u.Code) {
			t.Errorf("unit %s: a numeric code looks official; none was found", u.Code)
		}
	}
	if wards != 31 || communes != 72 {
		t.Errorf("got %d phường and %d xã, want 31 and 72", wards, communes)
	}

	// Every name of the reference list is there.
	body, err := os.ReadFile(fixture.Path(t, "reference/communes-2025.md"))
	if err != nil {
		t.Fatalf("reference list: %v", err)
	}
	parts := strings.SplitN(string(body), "## Communes", 2)
	list := regexp.MustCompile(`\(\d+\): ([^\n]+)\.\n`)
	for i, kind := range []string{"Phường ", "Xã "} {
		n := 0
		for _, m := range list.FindAllStringSubmatch(parts[i], -1) {
			for _, name := range strings.Split(m[1], ", ") {
				n++
				if _, ok := byName[kind+strings.TrimSpace(name)]; !ok {
					t.Errorf("%s%s of the reference list is missing", kind, name)
				}
			}
		}
		if want := []int{31, 72}[i]; n != want {
			t.Errorf("read %d %snames from the reference list, want %d", n, kind, want)
		}
	}

	// Look-alike names stay apart.
	for _, pair := range [][2]string{{"Phường Long Phú 1", "Xã Long Phú"}, {"Phường Vị Thanh", "Xã Vị Thanh 1"}} {
		a, b := byName[pair[0]], byName[pair[1]]
		if a.Code == "" || b.Code == "" || a.Code == b.Code {
			t.Errorf("%s (%s) and %s (%s) are not two units", pair[0], a.Code, pair[1], b.Code)
		}
	}
	if got := byName["Phường Long Phú 1"].Code; got != "P-LONG-PHU-1" {
		t.Errorf("Phường Long Phú 1 has code %q, want P-LONG-PHU-1", got)
	}
}
