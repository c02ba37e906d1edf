package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"chitieu/indicators"
)

// isTerminal reports whether w is a terminal, where a progress bar that
// redraws itself makes sense.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressBar draws how far a long export has come on one line of stderr.
type progressBar struct {
	w     io.Writer
	on    bool
	what  string
	lang  string // of the numbers: 1.234 or 1,234
	last  time.Time
	drawn bool
	now   func() time.Time
}

func newProgressBar(w io.Writer, on bool, what string) *progressBar {
	return &progressBar{w: w, on: on, what: what, lang: "vi", now: time.Now}
}

// newProgressBar is a bar that writes its numbers in the operator's style.
func (a *app) newProgressBar(w io.Writer, on bool, what string) *progressBar {
	p := newProgressBar(w, on, what)
	p.lang = a.lang
	return p
}

// update redraws the bar, at most ten times a second and always at the end.
func (p *progressBar) update(done, total int) {
	if !p.on {
		return
	}
	if t := p.now(); done < total && t.Sub(p.last) < 100*time.Millisecond {
		return
	} else {
		p.last = t
	}
	if total <= 0 || done > total {
		// The total is not known (or was an estimate): count only.
		fmt.Fprintf(p.w, "\r%s %s   ", p.what, indicators.FormatNumber(float64(done), 0, p.lang))
	} else {
		fmt.Fprintf(p.w, "\r%s", barLineIn(p.lang, p.what, done, total, 30))
	}
	p.drawn = true
}

// finish ends the bar's line.
func (p *progressBar) finish() {
	if p.on && p.drawn {
		fmt.Fprintln(p.w)
	}
}

// barLine is one state of the bar: "số liệu [=========>     ] 45% 450.000/1.000.000".
func barLine(what string, done, total, width int) string {
	return barLineIn("vi", what, done, total, width)
}

// barLineIn is barLine with its numbers in lang.
func barLineIn(lang, what string, done, total, width int) string {
	frac := 1.0
	if total > 0 {
		frac = min(float64(done)/float64(total), 1)
	}
	fill := int(frac * float64(width))
	bar := strings.Repeat("=", fill)
	if fill < width {
		bar += ">" + strings.Repeat(" ", width-fill-1)
	}
	return fmt.Sprintf("%s [%s] %3.0f%% %s/%s", what, bar, frac*100,
		indicators.FormatNumber(float64(done), 0, lang), indicators.FormatNumber(float64(total), 0, lang))
}
