package dashboard

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// The interface speaks Vietnamese first and English second. Every string a
// page shows comes from one catalogue per language, looked up by key from
// the templates ({{t "overview.title"}}); templates hold no words of their own.

//go:embed i18n/*.json
var messageFiles embed.FS

// Languages the interface speaks; the first is the default.
var languages = []string{"vi", "en"}

// langCookie remembers the language a user picked.
const langCookie = "chitieu_lang"

// messages maps a language to its catalogue of interface strings.
type messages map[string]map[string]string

// loadMessages reads the embedded catalogues and checks that every
// language has every key, so that a missing translation stops the start
// rather than showing a key to a user. They are read once for every server
// of the process, and nobody changes them.
var loadMessages = sync.OnceValues(func() (messages, error) {
	m := messages{}
	for _, lang := range languages {
		b, err := messageFiles.ReadFile("i18n/" + lang + ".json")
		if err != nil {
			return nil, fmt.Errorf("dashboard: read messages %s: %w", lang, err)
		}
		cat := map[string]string{}
		if err := json.Unmarshal(b, &cat); err != nil {
			return nil, fmt.Errorf("dashboard: messages %s: %w", lang, err)
		}
		// The domain's vocabulary (kinds, territories, states …) has one
		// home, shared with the reports and the command line.
		for k, v := range indicators.Vocabulary(lang) {
			if _, ok := cat[k]; ok {
				return nil, fmt.Errorf("dashboard: message %q of %s belongs to the domain's vocabulary", k, lang)
			}
			cat[k] = v
		}
		m[lang] = cat
	}
	first := m[languages[0]]
	for _, lang := range languages[1:] {
		for k := range first {
			if _, ok := m[lang][k]; !ok {
				return nil, fmt.Errorf("dashboard: message %q is missing in %s", k, lang)
			}
		}
		for k := range m[lang] {
			if _, ok := first[k]; !ok {
				return nil, fmt.Errorf("dashboard: message %q of %s is missing in %s", k, lang, languages[0])
			}
		}
	}
	return m, nil
})

// translate returns the message key in lang, with args put in its %s, %d …
// verbs. An unknown key shows as ⟦key⟧, which the template test catches.
func (m messages) translate(lang, key string, args ...any) string {
	s, ok := m[lang][key]
	if !ok {
		return "⟦" + key + "⟧"
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// has reports whether key is in the catalogues.
func (m messages) has(key string) bool {
	_, ok := m[languages[0]][key]
	return ok
}

// langOf returns the language of the request: ?lang= when it names one
// (and then it is remembered in a cookie), else the cookie, else
// Vietnamese.
func langOf(c echo.Context) string {
	if l, ok := c.Get("lang").(string); ok {
		return l
	}
	lang := languages[0]
	if q := c.QueryParam("lang"); validLang(q) {
		lang = q
		c.SetCookie(&http.Cookie{Name: langCookie, Value: q, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
			HttpOnly: true, SameSite: http.SameSiteLaxMode})
	} else if ck, err := c.Cookie(langCookie); err == nil && validLang(ck.Value) {
		lang = ck.Value
	}
	c.Set("lang", lang)
	return lang
}

func validLang(s string) bool { return slices.Contains(languages, s) }
