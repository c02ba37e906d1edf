package importers

// Matched is an indicator name of a sheet that was read as an indicator:
// by the name the catalogue gives it, or by the profile's confirmed names.
// A planner making a profile checks these too, since a name the catalogue
// holds word for word may still mean another indicator in a department's
// sheet (households with clean water in the city, or in its urban wards).
type Matched struct {
	Name      string `json:"name"`
	Cell      string `json:"cell"`
	Code      string `json:"code"`
	Confirmed bool   `json:"confirmed"` // by the profile rather than the catalogue's name
}

// matchedName records, once per name, a row read as an indicator by its
// name.
func (c *collector) matchedName(col, row int, name string, ind int, confirmed bool) {
	k := MatchKey(name)
	if c.matchedSeen[k] || len(c.matched) >= 1000 {
		return
	}
	if c.matchedSeen == nil {
		c.matchedSeen = map[string]bool{}
	}
	c.matchedSeen[k] = true
	c.matched = append(c.matched, Matched{Name: name, Cell: CellName(col, row), Code: c.cat.indicators[ind].Code, Confirmed: confirmed})
}
