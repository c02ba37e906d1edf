package dashboard

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// sourceLink is a source code as a page shows it: a link to the register
// entry, titled by what the source is.
type sourceLink struct {
	Code  string
	Title string
	URL   string
}

// sourceView is one register entry as the source pages draw it.
type sourceView struct {
	sourceLink
	Publisher string
	Published string
	DateNote  string
	Addresses []string
}

// sourcesData is what the register page draws.
type sourcesData struct {
	Sources []sourceView
}

// sourceData is what one source's page draws.
type sourceData struct {
	Source sourceView
}

// register returns the catalogue's sources by code, from the cache while
// the store is unchanged.
func (s *Server) register(ctx context.Context) (map[string]indicators.Source, error) {
	v, err := s.cached(ctx, "sources", func(ctx context.Context) (any, error) {
		list, err := s.store.Sources(ctx)
		if err != nil {
			return nil, err
		}
		m := make(map[string]indicators.Source, len(list))
		for _, src := range list {
			m[src.Code] = src
		}
		return m, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(map[string]indicators.Source), nil
}

// sourceLinks turns a field of source codes ("S31 S30") into links to the
// register, each titled by its source; a code the register lacks is shown
// as it is, without a link.
func (s *Server) sourceLinks(ctx context.Context, field string) ([]sourceLink, error) {
	codes := indicators.SourceCodes(field)
	if len(codes) == 0 {
		if strings.TrimSpace(field) == "" {
			return nil, nil
		}
		return []sourceLink{{Code: field}}, nil
	}
	reg, err := s.register(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]sourceLink, len(codes))
	for i, code := range codes {
		out[i] = sourceLink{Code: code}
		if src, ok := reg[code]; ok {
			out[i].Title, out[i].URL = src.Title, "/sources/"+url.PathEscape(code)
		}
	}
	return out, nil
}

func (s *Server) sourceViewOf(lang string, src indicators.Source) sourceView {
	v := sourceView{sourceLink: sourceLink{Code: src.Code, Title: src.Title, URL: "/sources/" + url.PathEscape(src.Code)},
		Publisher: src.Publisher, DateNote: src.DateNote}
	if !src.Published.IsZero() {
		v.Published = formatDate(lang, src.Published)
	}
	// Addresses are shown as text to copy, not as links: the pages link to
	// nothing outside the intranet server, and some sources are gone.
	for _, a := range strings.Split(src.Address, " ; ") {
		if a = strings.TrimSpace(a); a != "" {
			v.Addresses = append(v.Addresses, a)
		}
	}
	return v
}

// sources lists the register of the catalogue's public sources: what each
// code a page names stands for.
func (s *Server) sources(c echo.Context) error {
	lang := langOf(c)
	return s.renderPage(c, http.StatusOK, "sources", "", func(ctx context.Context, _ *chartSet) (any, error) {
		list, err := s.store.Sources(ctx)
		if err != nil {
			return nil, err
		}
		d := sourcesData{}
		for _, src := range list {
			d.Sources = append(d.Sources, s.sourceViewOf(lang, src))
		}
		return d, nil
	})
}

// source shows one entry of the register.
func (s *Server) source(c echo.Context) error {
	lang := langOf(c)
	code := strings.ToUpper(pathParam(c, "source"))
	src, err := s.store.SourceByCode(c.Request().Context(), code)
	if err != nil {
		return err
	}
	return s.renderPage(c, http.StatusOK, "source", code, func(ctx context.Context, _ *chartSet) (any, error) {
		return sourceData{Source: s.sourceViewOf(lang, src)}, nil
	})
}
