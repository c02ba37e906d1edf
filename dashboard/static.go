package dashboard

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// Every script, style and font is served by the binary itself: the
// government intranet reaches nothing else. The whole static folder is
// embedded, so that `go build` works before `make assets` has copied the
// vendored libraries (ECharts) into static/vendor.

//go:embed static
var staticFiles embed.FS

// staticPrefix is where the assets are served.
const staticPrefix = "/static/"

// asset is one embedded file, hashed once at start-up.
type asset struct {
	body  []byte
	gzip  []byte // nil when compressing does not pay
	etag  string // strong ETag: a prefix of the SHA-256
	ctype string
}

// assetSet is the embedded static folder by path ("css/app.css").
type assetSet struct {
	files   map[string]*asset
	modTime time.Time
}

// embeddedAssets are the embedded static folder's, read, hashed and
// compressed once per process: they cannot change while it runs, and
// compressing ECharts at the best level takes a quarter of a second.
var embeddedAssets = sync.OnceValues(func() (*assetSet, error) {
	static, err := fs.Sub(staticFiles, "static")
	if err != nil {
		return nil, fmt.Errorf("dashboard: static files: %w", err)
	}
	return loadAssets(static)
})

// loadAssets reads and hashes every file of fsys, gzipping the text ones.
func loadAssets(fsys fs.FS) (*assetSet, error) {
	set := &assetSet{files: map[string]*asset{}, modTime: time.Now().UTC().Truncate(time.Second)}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		a := &asset{body: body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`,
			ctype: mime.TypeByExtension(path.Ext(p))}
		if a.ctype == "" {
			a.ctype = "application/octet-stream"
		}
		if compressible(a.ctype) && len(body) > 1024 {
			var b bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
			zw.Write(body)
			zw.Close()
			if b.Len() < len(body)*9/10 {
				a.gzip = b.Bytes()
			}
		}
		set.files[p] = a
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("dashboard: read static files: %w", err)
	}
	return set, nil
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "javascript") ||
		strings.Contains(ctype, "json") || strings.Contains(ctype, "svg")
}

// url is the address of an asset with its fingerprint as ?v=, so that it
// can be cached for a year and a new build is fetched at once. An asset
// missing from the build (ECharts before `make assets`) keeps its plain
// address and fails visibly in the browser, not at start-up.
func (set *assetSet) url(p string) string {
	p = strings.TrimPrefix(p, staticPrefix)
	a, ok := set.files[p]
	if !ok {
		return staticPrefix + p
	}
	return staticPrefix + p + "?v=" + strings.Trim(a.etag, `"`)
}

// serveStatic serves an embedded asset. A request carrying the current
// fingerprint may be cached for a year; any other is revalidated by ETag.
func (s *Server) serveStatic(c echo.Context) error {
	p := strings.TrimPrefix(path.Clean("/"+c.Param("*")), "/")
	a, ok := s.assets.files[p]
	if !ok {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	h.Set("Content-Type", a.ctype)
	h.Set("ETag", a.etag)
	h.Set("X-Content-Type-Options", "nosniff")
	if v := c.QueryParam("v"); v != "" && `"`+v+`"` == a.etag {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	h.Add("Vary", "Accept-Encoding")
	body := a.body
	if a.gzip != nil && acceptsGzip(c.Request()) {
		h.Set("Content-Encoding", "gzip")
		body = a.gzip
	}
	http.ServeContent(c.Response(), c.Request(), "", s.assets.modTime, bytes.NewReader(body))
	return nil
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(enc, "gzip") {
			return true
		}
	}
	return false
}
