package indicators

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Source is one entry of the register of public sources behind the built-in
// catalogue: "S63", the page it is, who published it, when and where. The
// catalogue's figures name their sources by code ("S31 S30"); the register
// lets a reader look the code up and lets the catalogue date each figure by
// when its source published it.
type Source struct {
	Code      string    // "S63"
	Title     string    // what the page is and what it gave
	Publisher string    // the site that published it: "tienphong.vn"
	Published time.Time // the day it was published, in Vietnam; zero when not found
	DateNote  string    // how the date was read: stated, in the address, a month read as its last day …
	Address   string    // its URL (several separated by " ; ")
}

var sourceCode = regexp.MustCompile(`^S[0-9]{2,3}$`)

// Validate checks a register entry.
func (s *Source) Validate() error {
	switch {
	case !sourceCode.MatchString(s.Code):
		return FieldError(EINVALID, "code", fmt.Sprintf("mã nguồn %q không hợp lệ", s.Code),
			fmt.Sprintf("source code %q is not valid", s.Code))
	case strings.TrimSpace(s.Title) == "":
		return FieldError(EINVALID, "title", "thiếu tên nguồn "+s.Code, "source "+s.Code+" has no title")
	}
	return nil
}

// SourceCodes splits a field of source codes ("S31 S30 S32") into the codes
// it names, in order and without repeats.
func SourceCodes(field string) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range strings.FieldsFunc(field, func(r rune) bool { return r == ' ' || r == ',' || r == ';' }) {
		if sourceCode.MatchString(f) && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// BuiltinAuthor is who the built-in catalogue records as having entered its
// targets and values.
const BuiltinAuthor = "catalog"

// AuthorName is how a page or report names whoever entered something: the
// user's name, or for the built-in catalogue "Danh mục dựng sẵn (nguồn công
// khai)", since "catalog" is no one a reader could ask.
func AuthorName(name, lang string) string {
	if name != BuiltinAuthor {
		return name
	}
	if lang == "en" {
		return "Built-in catalogue (public sources)"
	}
	return "Danh mục dựng sẵn (nguồn công khai)"
}
