package dashboard

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// The layout around a page's content is the same for every request of one
// page, language, address and user but for three values: the nonce of the
// Content-Security-Policy, the CSRF token of the logout form and the
// request's ID. Drawing it through html/template costs more than anything
// else in serving a cached page, so it is drawn once with stand-ins for
// those three, kept, and filled in for each request.

// The slots of a drawn layout.
const (
	slotNonce = iota
	slotCSRF
	slotRequestID
	slotCount
)

// layoutLimit bounds the drawn layouts kept; when it is reached they are
// all dropped and drawn again as requests come.
const layoutLimit = 4096

// contentMark stands in the drawn layout where the page's content goes.
const contentMark template.HTML = "<!--chitieu:content-->"

// layouts keeps drawn layouts by layoutKey.
type layouts struct {
	mu    sync.RWMutex
	drawn map[string]*drawnLayout
	// stand-ins of the slots, random for each server so that no text a
	// user writes (a name, a title) can hold one.
	slots [slotCount]string
}

// drawnLayout is the layout of one page for one request shape, cut at the
// content into head and tail.
type drawnLayout struct {
	head, tail layoutParts
}

// layoutParts is drawn text cut at its slots: each part's text is
// followed by the value of its slot (none after the last).
type layoutParts []layoutPart

type layoutPart struct {
	text []byte
	slot int // -1: none
}

func (p layoutParts) writeTo(buf *bytes.Buffer, fill *[slotCount]string) {
	for _, part := range p {
		buf.Write(part.text)
		if part.slot >= 0 {
			buf.WriteString(fill[part.slot])
		}
	}
}

func newLayouts() *layouts {
	l := &layouts{}
	for i := range l.slots {
		var b [12]byte
		rand.Read(b[:])
		l.slots[i] = "slot" + hex.EncodeToString(b[:])
	}
	return l
}

// get returns the layout kept under key, if any; nothing is kept under
// "", the key of a request whose slots cannot be filled in.
func (l *layouts) get(key string) *drawnLayout {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.drawn[key]
}

func (l *layouts) put(key string, d *drawnLayout) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.drawn == nil || len(l.drawn) >= layoutLimit {
		l.drawn = map[string]*drawnLayout{}
	}
	l.drawn[key] = d
}

// draw executes the layout of t for v and cuts it at the content. With
// slots, the stand-ins take the place of the slots that fill gives a
// value, and the result is cut at them too; without, v is drawn as it is,
// every value escaped by the template.
func (l *layouts) draw(t *template.Template, v view, fill [slotCount]string, slots bool) (*drawnLayout, error) {
	if t == nil {
		return nil, fmt.Errorf("no template for page %q", v.Page)
	}
	if slots {
		stand := func(i int) string {
			if fill[i] == "" {
				return "" // drawn as absent, as the template wants
			}
			return l.slots[i]
		}
		v.Nonce, v.CSRF, v.RequestID = stand(slotNonce), stand(slotCSRF), stand(slotRequestID)
	}
	v.Content = contentMark
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return nil, err
	}
	head, tail, ok := bytes.Cut(buf.Bytes(), []byte(contentMark))
	if !ok {
		return nil, fmt.Errorf("the layout has no place for the content")
	}
	return &drawnLayout{head: l.cut(head), tail: l.cut(tail)}, nil
}

// cut splits drawn text at the stand-ins.
func (l *layouts) cut(b []byte) layoutParts {
	var out layoutParts
	for {
		at, slot := -1, -1
		for i, st := range l.slots {
			if j := bytes.Index(b, []byte(st)); j >= 0 && (at < 0 || j < at) {
				at, slot = j, i
			}
		}
		if at < 0 {
			return append(out, layoutPart{text: bytes.Clone(b), slot: -1})
		}
		out = append(out, layoutPart{text: bytes.Clone(b[:at]), slot: slot})
		b = b[at+len(l.slots[slot]):]
	}
}

// layoutKey is everything the layout of the request depends on but its
// slots: page, language, address (the navigation, the language links and
// the dashboard's state), user and role, title, the scripts of the
// charts, and which slots are empty. The values of the slots themselves
// must be safe as they are in an attribute or text (letters, digits and
// "+/=_-", as tokens and IDs are), or nothing is kept ("").
func (s *Server) layoutKey(c echo.Context, page, lang string, v view, body *pageBody) string {
	if len(c.Request().URL.RawQuery) > langLinkQuery {
		return "" // no address chitieu links to: not worth a place in the cache
	}
	var k strings.Builder
	for _, f := range []string{v.Nonce, v.CSRF, v.RequestID} {
		if !slotSafe(f) {
			return ""
		}
		if f == "" {
			k.WriteByte('0')
		} else {
			k.WriteByte('1')
		}
	}
	for _, part := range []string{page, lang, c.Request().URL.RequestURI(), body.Title} {
		k.WriteByte(0)
		k.WriteString(part)
	}
	if v.User != nil {
		k.WriteByte(0)
		k.WriteString(v.User.Name)
		k.WriteByte(0)
		k.WriteString(string(v.User.Role))
		k.WriteByte(0)
		k.WriteString(strconv.Itoa(v.Inbox))
	}
	for _, ch := range body.Charts {
		for _, a := range ch.Assets {
			k.WriteByte(0)
			k.WriteString(a)
		}
	}
	return k.String()
}

func slotSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("+/=_-", c) >= 0) {
			return false
		}
	}
	return true
}
