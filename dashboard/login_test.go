package dashboard

import (
	"strings"
	"testing"
)

// After sign-in the browser goes back where it was, but never to another
// host.
func TestSafeNext(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                        "/",
		"/":                       "/",
		"/audit?user=lan":         "/audit?user=lan",
		"//evil.example/":         "/",
		`/\evil.example`:          "/",
		"https://evil.example/":   "/",
		"javascript:alert(1)":     "/",
		"/x\r\nSet-Cookie: a=b":   "/",
		"audit":                   "/",
		"/admin/users/hoa.nguyen": "/admin/users/hoa.nguyen",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

// A typed name is made safe to count, store and log.
func TestTypedName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"  Hoa.Nguyen ":          "hoa.nguyen",
		"a\nb\r\x00c":            "a\ufffdb\ufffd\ufffdc",
		strings.Repeat("ă", 100): strings.Repeat("ă", 64),
	} {
		if got := typedName(in); got != want {
			t.Errorf("typedName(%q) = %q, want %q", in, got, want)
		}
	}
}
