package importers

import (
	"testing"

	"golang.org/x/text/unicode/norm"

	"chitieu/indicators"
)

// Unit names match exactly after Unicode NFC and case folding: a digit or
// a tone mark tells two communes apart, so "Long Phú 1" never lands on
// "Long Phú", nor "Vị Thanh 1" on "Vị Thanh", and a name without its
// diacritics matches nothing; two units of one name match neither.
func TestUnitNamesMatchExactly(t *testing.T) {
	units := []indicators.Unit{
		{Code: "X1", NameVI: "Long Phú"}, {Code: "X2", NameVI: "Long Phú 1"},
		{Code: "P1", NameVI: "Vị Thanh"}, {Code: "P2", NameVI: "Vị Thanh 1"},
		{Code: "A1", NameVI: "Tân Hòa"}, {Code: "A2", NameVI: "Tân Hòa"},
	}
	c := newCatalogue(nil, units)
	for _, tc := range []struct {
		text, want string // want "" for no match
	}{
		{"Long Phú", "X1"},
		{"long phú", "X1"},
		{"LONG PHÚ 1", "X2"},
		{"Long Phú 1 ", "X2"},
		{norm.NFD.String("Vị Thanh"), "P1"}, // decomposed, as some keyboards type it
		{"Vị  Thanh\u00a01", "P2"},
		{"VỊ THANH 1", "P2"},
		{"x2", "X2"}, // by code
		{"Long Phu", ""},
		{"Vi Thanh 1", ""},
		{"Long Phú 2", ""},
		{"Vị Thanh 10", ""},
		{"Tân Hòa", ""}, // two units of that name: write the code
	} {
		i, ok := c.unit(tc.text)
		got := ""
		if ok {
			got = units[i].Code
		}
		if got != tc.want {
			t.Errorf("unit(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
