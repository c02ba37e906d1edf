package indicators_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// vietnameseLetters are letters that English text never holds: a string
// with one of them is Vietnamese.
const vietnameseLetters = "ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"

func isVietnamese(s string) bool {
	return strings.ContainsAny(strings.ToLower(s), vietnameseLetters)
}

// literals returns the string literals inside e, so that a message built
// as "a" + "b" is read whole.
func literals(e ast.Node) []string {
	var out []string
	ast.Inspect(e, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil {
				out = append(out, s)
			}
		}
		return true
	})
	return out
}

func isPkgCall(fun ast.Expr, pkg, name string) bool {
	sel, ok := fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == pkg && sel.Sel.Name == name
}

// oneLanguage returns the places in f that make a message in one language
// only; domain says f is of package indicators itself, where the domain's
// names go without their package.
func oneLanguage(fset *token.FileSet, f *ast.File, domain bool) []string {
	var out []string
	report := func(n ast.Node, format string, args ...any) {
		out = append(out, fset.Position(n.Pos()).String()+": "+fmt.Sprintf(format, args...))
	}
	isDomain := func(e ast.Expr, name string) bool {
		switch x := e.(type) {
		case *ast.SelectorExpr:
			id, ok := x.X.(*ast.Ident)
			return ok && id.Name == "indicators" && x.Sel.Name == name
		case *ast.Ident:
			return domain && x.Name == name
		}
		return false
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncDecl:
			if domain && x.Recv == nil && x.Name.Name == "Errorf" {
				report(x, "indicators.Errorf is back: it makes Vietnamese-only errors; use FieldError")
			}
		case *ast.CallExpr:
			switch {
			case isDomain(x.Fun, "Errorf"):
				report(x, "indicators.Errorf makes a Vietnamese-only error; use indicators.FieldError(code, field, vi, en)")
			case isDomain(x.Fun, "FieldError") && len(x.Args) == 4:
				if lit, ok := x.Args[3].(*ast.BasicLit); ok && lit.Value == `""` {
					report(x, "FieldError without its English")
				}
			case isPkgCall(x.Fun, "fmt", "Errorf"), isPkgCall(x.Fun, "errors", "New"):
				for _, s := range literals(x) {
					if isVietnamese(s) {
						report(x, "%q: an internal error is in English with a package prefix; "+
							"a message for people goes through indicators.FieldError in both languages", s)
						break
					}
				}
			}
		case *ast.CompositeLit:
			if !isDomain(x.Type, "Error") {
				return true
			}
			keys := map[string]bool{}
			for _, el := range x.Elts {
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					if id, ok := kv.Key.(*ast.Ident); ok {
						keys[id.Name] = true
					}
				}
			}
			if keys["Message"] && !keys["English"] {
				report(x, "an indicators.Error with a Message and no English")
			}
		}
		return true
	})
	return out
}

// One message style (DESIGN §1: Vietnamese first, English second): the
// source outside tests has no message a user sees in one language only —
// no Errorf of the domain (removed: it made Vietnamese-only errors), no
// *Error literal or FieldError without its English, and no fmt.Errorf or
// errors.New in Vietnamese: those are internal errors, for the log, in
// English with a package prefix.
func TestNoMessageInOneLanguageOnly(t *testing.T) {
	root := ".."
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "node_modules", "testdata", "bin":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		files++
		domain := filepath.Dir(path) == filepath.Join(root, "indicators")
		for _, p := range oneLanguage(fset, f, domain) {
			t.Error(p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The walk must have read the repository, not an empty folder.
	if files < 100 {
		t.Fatalf("read %d Go files under %s; want the whole repository", files, root)
	}
}

// The check finds each kind of one-language message, and none of the
// bilingual ones or the English internal errors.
func TestOneLanguageCheckFindsEachKind(t *testing.T) {
	const src = `package x

func f() {
	_ = indicators.Errorf(indicators.EINVALID, "lô #%d đang được ghi", 1)                 // bad
	_ = indicators.FieldError(indicators.EINVALID, "", "sai", "")                         // bad
	_ = &indicators.Error{Code: indicators.EINVALID, Message: "sai"}                       // bad
	_ = fmt.Errorf("backup: pg_dump failed (sao lưu không thành công): %w", err)           // bad
	_ = errors.New("backup: pg_dump is missing " + "(chưa cài pg_dump)")                    // bad
	_ = indicators.FieldError(indicators.EINVALID, "", "sai", "wrong")                    // good
	_ = &indicators.Error{Code: indicators.EINVALID, Message: "sai", English: "wrong"}    // good
	_ = fmt.Errorf("postgres: copy values from %s: %w", first, err)                        // good
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := oneLanguage(fset, f, false)
	if len(got) != 5 {
		t.Fatalf("found %d places, want the 5 bad lines (4–8):\n%s", len(got), strings.Join(got, "\n"))
	}
	for i, p := range got {
		if want := fmt.Sprintf("x.go:%d:", i+4); !strings.HasPrefix(p, want) {
			t.Errorf("place %d = %s, want line %d", i, p, i+4)
		}
	}
}
