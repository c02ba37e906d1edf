package postgres

import (
	"net/url"
	"strings"
)

// Redact is a connection URL with its password masked, for messages and
// logs; anything else (a keyword string, a URL without a password) is
// returned as it is. The URL is cut as written rather than rebuilt, so
// the mask reads *** and the rest stays byte for byte.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); !ok {
		return dsn
	}
	scheme, rest, _ := strings.Cut(dsn, "://")
	// The user information ends at the authority's last @, as url.Parse
	// reads it: a password may hold an @ of its own.
	authority := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority = rest[:i]
	}
	at := strings.LastIndex(authority, "@")
	user, _, _ := strings.Cut(rest[:at], ":")
	return scheme + "://" + user + ":***" + rest[at:]
}
