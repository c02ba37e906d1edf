package dashboard

import (
	"crypto/rand"
	"encoding/base64"

	"github.com/labstack/echo/v4"
)

// securityHeaders sets the headers every answer carries. The Content
// Security Policy lets nothing load from another origin: scripts come from
// the server itself or are inline scripts carrying this request's nonce,
// which templates find as the context value "csp_nonce" and write as
// <script nonce="…">. Inline styles stay allowed, because chart markup
// sets sizes in style attributes; they load nothing from outside.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		var b [18]byte
		rand.Read(b[:])
		nonce := base64.StdEncoding.EncodeToString(b[:])
		c.Set("csp_nonce", nonce)
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'nonce-"+nonce+"'; "+
			"style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "+
			"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
		// Pages show official figures to signed-in users: no copies in
		// shared caches or the browser's. Static assets may set their own.
		h.Set("Cache-Control", "no-store")
		if s.overTLS(c.Request()) {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		return next(c)
	}
}
