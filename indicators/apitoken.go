package indicators

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// API token scopes: what a program holding a token may do on the JSON API.
const (
	ScopeRead   = "read"   // read plans, indicators, values and progress
	ScopeImport = "import" // send values (state-changing API requests)
)

// TokenScopes lists every scope, in the order forms show them.
var TokenScopes = []string{ScopeRead, ScopeImport}

// MaxTokenLife is the longest a token may live: a forgotten token in a
// script should not open the API for ever.
const MaxTokenLife = 366 * 24 * time.Hour

// APIToken is a personal token (mã truy cập API) a user gives a program so
// that it reads or sends figures through the JSON API on the user's behalf,
// with the user's role and scope narrowed by the token's scopes. Only the
// SHA-256 of the secret is stored; the secret is shown once, at creation.
type APIToken struct {
	ID        int64
	User      string // the owner, whose role and scope the token acts with
	Name      string // the owner's label for it: "báo cáo Cục Thống kê"
	Prefix    string // the first characters of the secret, to recognise it
	Hash      string // hex SHA-256 of the secret; never shown, never audited
	Scopes    []string
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt time.Time // zero while the token is in force
	RevokedBy string
	LastUsed  time.Time
	Uses      int64 // requests recorded so far
}

// Has reports whether the token carries scope.
func (t *APIToken) Has(scope string) bool { return slices.Contains(t.Scopes, scope) }

// Active reports whether the token opens the API at now.
func (t *APIToken) Active(now time.Time) bool {
	return t.RevokedAt.IsZero() && now.Before(t.ExpiresAt)
}

// State is the token's state at now: "active", "expired" or "revoked".
func (t *APIToken) State(now time.Time) string {
	switch {
	case !t.RevokedAt.IsZero():
		return "revoked"
	case !now.Before(t.ExpiresAt):
		return "expired"
	}
	return "active"
}

// Ref is how the audit trail names the token: owner and name.
func (t *APIToken) Ref() string { return "token:" + t.User + "/" + t.Name }

// Validate checks a new token: a name, known scopes, and an expiry in the
// future no further than MaxTokenLife from its creation.
func (t *APIToken) Validate() error {
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" || utf8.RuneCountInString(t.Name) > 100 || strings.ContainsAny(t.Name, "/\r\n\t") {
		return FieldError(EINVALID, "name", "tên mã truy cập phải có từ 1 đến 100 ký tự, không có dấu / hay xuống dòng",
			"a token's name must be 1 to 100 characters, without / or line breaks")
	}
	if len(t.Scopes) == 0 {
		return FieldError(EINVALID, "scopes", "hãy chọn ít nhất một quyền (đọc, nhập số liệu)",
			"choose at least one scope (read, import)")
	}
	for _, s := range t.Scopes {
		if !slices.Contains(TokenScopes, s) {
			return FieldError(EINVALID, "scopes", fmt.Sprintf("quyền %q không hợp lệ (read, import)", s),
				fmt.Sprintf("scope %q is not valid (read, import)", s))
		}
	}
	if !t.ExpiresAt.After(t.CreatedAt) || t.ExpiresAt.Sub(t.CreatedAt) > MaxTokenLife {
		return FieldError(EINVALID, "expires", "hạn dùng phải sau hôm nay và không quá một năm",
			"the expiry must be after today and within a year")
	}
	return nil
}

// TokenStore keeps API tokens. Creating and revoking are audited in their
// own transaction, naming the actor of ctx.
type TokenStore interface {
	// CreateToken stores a new token (t.Hash and t.Prefix set) and sets
	// t.ID; ECONFLICT when the owner already has a token of that name.
	CreateToken(ctx context.Context, t *APIToken) error
	// Tokens lists the tokens of user, or of every user when user is "",
	// newest first.
	Tokens(ctx context.Context, user string) ([]APIToken, error)
	// TokenByHash returns the token of a secret's hash with its owner, or
	// ENOTFOUND. Revoked and expired tokens are returned too: the caller
	// decides.
	TokenByHash(ctx context.Context, hash string) (APIToken, User, error)
	// RevokeToken ends a token. When owner is not "", only a token of that
	// user is found (ENOTFOUND otherwise): a user revokes their own, an
	// admin any.
	RevokeToken(ctx context.Context, id int64, owner string) error
	// RecordTokenUses adds uses requests, the last at last from addr, to
	// the token's count and writes one "token.use" audit event for them.
	RecordTokenUses(ctx context.Context, id int64, uses int64, first, last time.Time, addr string) error
}
