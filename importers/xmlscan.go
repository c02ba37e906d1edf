package importers

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// xmlScanner is a small pull parser for the parts of a workbook that can be
// large — worksheets and shared strings. It knows just enough XML for them:
// elements with attributes, text with the predefined and numeric entities,
// CDATA, comments and processing instructions; names are compared without
// their namespace prefix. A DOCTYPE is refused, so no entity can expand.
// It reads through its own buffer and allocates nothing per token.
type xmlScanner struct {
	src      io.Reader
	buf      []byte
	pos, end int
	eof      bool
	err      error

	kind      tokenKind
	name      []byte // local name of the element
	attrBuf   []byte // decoded attribute values, back to back
	attrs     []xmlAttr
	selfClose bool
	text      []byte // decoded text of a text token
}

type tokenKind int

const (
	tokenEOF tokenKind = iota
	tokenStart
	tokenEnd
	tokenText
)

type xmlAttr struct {
	name       []byte // local name
	start, end int    // value in attrBuf
}

var (
	errXMLSyntax = errors.New("importers: malformed XML")
	errTooLong   = errors.New("importers: an XML tag or text longer than 4 MB")
)

// maxToken bounds one tag or one text: Excel holds at most 32,767
// characters in a cell, so anything near this is a hostile file.
const maxToken = 4 << 20

func newXMLScanner(r io.Reader) *xmlScanner {
	return &xmlScanner{src: r, buf: make([]byte, 64<<10)}
}

// fill makes at least n bytes available from pos, unless the input ends.
func (s *xmlScanner) fill(n int) bool {
	for s.end-s.pos < n {
		if s.eof {
			return false
		}
		if s.pos > 0 {
			copy(s.buf, s.buf[s.pos:s.end])
			s.end -= s.pos
			s.pos = 0
		}
		if s.end == len(s.buf) {
			if len(s.buf) >= maxToken {
				s.err = errTooLong
				s.eof = true
				return false
			}
			nb := make([]byte, 2*len(s.buf))
			copy(nb, s.buf[:s.end])
			s.buf = nb
		}
		m, err := s.src.Read(s.buf[s.end:])
		s.end += m
		if err == io.EOF {
			s.eof = true
		} else if err != nil {
			s.err = err
			s.eof = true
			return false
		}
	}
	return true
}

// attr returns the value of the attribute with the given local name.
func (s *xmlScanner) attr(name string) []byte {
	for _, a := range s.attrs {
		if string(a.name) == name {
			return s.attrBuf[a.start:a.end]
		}
	}
	return nil
}

// next reads the next token. At the end of input, or on an error, it
// returns tokenEOF; s.err tells which.
func (s *xmlScanner) next() tokenKind {
	s.kind = tokenEOF
	if s.err != nil {
		return tokenEOF
	}
	for {
		if !s.fill(1) {
			return tokenEOF
		}
		if s.buf[s.pos] != '<' {
			if s.readText(); s.err != nil {
				return tokenEOF
			}
			return s.kind
		}
		if !s.fill(2) {
			s.setErr(errXMLSyntax)
			return tokenEOF
		}
		switch s.buf[s.pos+1] {
		case '?':
			if !s.skipPast("?>") {
				return tokenEOF
			}
			continue
		case '!':
			if s.fill(4) && bytes.HasPrefix(s.buf[s.pos:s.end], []byte("<!--")) {
				if !s.skipPast("-->") {
					return tokenEOF
				}
				continue
			}
			if s.fill(9) && bytes.HasPrefix(s.buf[s.pos:s.end], []byte("<![CDATA[")) {
				s.pos += 9
				s.text = s.text[:0]
				for {
					i := bytes.Index(s.buf[s.pos:s.end], []byte("]]>"))
					if i >= 0 {
						s.text = append(s.text, s.buf[s.pos:s.pos+i]...)
						s.pos += i + 3
						s.kind = tokenText
						return tokenText
					}
					// keep two bytes back in case the marker is split
					keep := max(s.end-s.pos-2, 0)
					s.text = append(s.text, s.buf[s.pos:s.pos+keep]...)
					s.pos += keep
					if !s.fill(s.end - s.pos + 1) {
						s.setErr(errXMLSyntax)
						return tokenEOF
					}
				}
			}
			s.setErr(fmt.Errorf("%w: a DOCTYPE or other declaration is not allowed", errXMLSyntax))
			return tokenEOF
		case '/':
			return s.readEnd()
		default:
			return s.readStart()
		}
	}
}

// setErr keeps the first error.
func (s *xmlScanner) setErr(err error) {
	if s.err == nil {
		s.err = err
	}
}

// skipPast moves past the next occurrence of marker.
func (s *xmlScanner) skipPast(marker string) bool {
	for {
		i := bytes.Index(s.buf[s.pos:s.end], []byte(marker))
		if i >= 0 {
			s.pos += i + len(marker)
			return true
		}
		s.pos = max(s.end-len(marker)+1, s.pos)
		if !s.fill(s.end - s.pos + 1) {
			s.setErr(errXMLSyntax)
			return false
		}
	}
}

// tagEnd finds the '>' that closes the tag starting at pos, outside quoted
// attribute values, filling the buffer as needed.
func (s *xmlScanner) tagEnd() int {
	var quote byte
	for i := s.pos + 1; ; i++ {
		if i >= s.end {
			off := i - s.pos
			if !s.fill(off + 1) {
				s.setErr(errXMLSyntax)
				return -1
			}
			i = s.pos + off
		}
		c := s.buf[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i
		}
	}
}

func localName(b []byte) []byte {
	if i := bytes.LastIndexByte(b, ':'); i >= 0 {
		return b[i+1:]
	}
	return b
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (s *xmlScanner) readEnd() tokenKind {
	gt := s.tagEnd()
	if gt < 0 {
		return tokenEOF
	}
	s.name = localName(bytes.TrimRight(s.buf[s.pos+2:gt], " \t\r\n"))
	s.pos = gt + 1
	s.kind = tokenEnd
	return tokenEnd
}

func (s *xmlScanner) readStart() tokenKind {
	gt := s.tagEnd()
	if gt < 0 {
		return tokenEOF
	}
	tag := s.buf[s.pos+1 : gt]
	s.pos = gt + 1
	s.selfClose = len(tag) > 0 && tag[len(tag)-1] == '/'
	if s.selfClose {
		tag = tag[:len(tag)-1]
	}
	i := 0
	for i < len(tag) && !isSpace(tag[i]) {
		i++
	}
	s.name = localName(tag[:i])
	s.attrs, s.attrBuf = s.attrs[:0], s.attrBuf[:0]
	for i < len(tag) {
		for i < len(tag) && isSpace(tag[i]) {
			i++
		}
		if i == len(tag) {
			break
		}
		j := bytes.IndexByte(tag[i:], '=')
		if j < 0 {
			s.setErr(errXMLSyntax)
			return tokenEOF
		}
		name := bytes.TrimRight(tag[i:i+j], " \t\r\n")
		i += j + 1
		for i < len(tag) && isSpace(tag[i]) {
			i++
		}
		if i == len(tag) || (tag[i] != '"' && tag[i] != '\'') {
			s.setErr(errXMLSyntax)
			return tokenEOF
		}
		q := tag[i]
		k := bytes.IndexByte(tag[i+1:], q)
		if k < 0 {
			s.setErr(errXMLSyntax)
			return tokenEOF
		}
		start := len(s.attrBuf)
		var ok bool
		if s.attrBuf, ok = appendUnescaped(s.attrBuf, tag[i+1:i+1+k]); !ok {
			s.setErr(errXMLSyntax)
			return tokenEOF
		}
		s.attrs = append(s.attrs, xmlAttr{name: localName(name), start: start, end: len(s.attrBuf)})
		i += k + 2
	}
	s.kind = tokenStart
	return tokenStart
}

func (s *xmlScanner) readText() {
	s.text = s.text[:0]
	for {
		i := bytes.IndexByte(s.buf[s.pos:s.end], '<')
		if i >= 0 {
			s.appendText(s.buf[s.pos : s.pos+i])
			s.pos += i
			break
		}
		// An entity may be cut at the buffer's end: keep an unfinished one.
		chunk := s.buf[s.pos:s.end]
		if amp := bytes.LastIndexByte(chunk, '&'); amp >= 0 && bytes.IndexByte(chunk[amp:], ';') < 0 && len(chunk)-amp < 12 {
			chunk = chunk[:amp]
		}
		s.appendText(chunk)
		s.pos += len(chunk)
		if !s.fill(s.end - s.pos + 1) {
			if s.end > s.pos { // an unfinished entity at the very end
				s.setErr(errXMLSyntax)
			}
			break
		}
	}
	s.kind = tokenText
}

func (s *xmlScanner) appendText(b []byte) {
	if len(s.text)+len(b) > maxToken {
		s.setErr(errTooLong)
		return
	}
	var ok bool
	if s.text, ok = appendUnescaped(s.text, b); !ok {
		s.setErr(errXMLSyntax)
	}
}

// appendUnescaped appends b with XML's entities decoded and line ends
// normalised to \n.
func appendUnescaped(dst, b []byte) ([]byte, bool) {
	for len(b) > 0 {
		i := bytes.IndexAny(b, "&\r")
		if i < 0 {
			return append(dst, b...), true
		}
		dst = append(dst, b[:i]...)
		b = b[i:]
		if b[0] == '\r' {
			dst = append(dst, '\n')
			b = b[1:]
			if len(b) > 0 && b[0] == '\n' {
				b = b[1:]
			}
			continue
		}
		semi := bytes.IndexByte(b, ';')
		if semi < 0 {
			return dst, false
		}
		ent := b[1:semi]
		b = b[semi+1:]
		switch string(ent) {
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "amp":
			dst = append(dst, '&')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			if len(ent) < 2 || ent[0] != '#' {
				return dst, false
			}
			var n uint64
			var err error
			if ent[1] == 'x' || ent[1] == 'X' {
				n, err = strconv.ParseUint(string(ent[2:]), 16, 32)
			} else {
				n, err = strconv.ParseUint(string(ent[1:]), 10, 32)
			}
			if err != nil || !utf8.ValidRune(rune(n)) {
				return dst, false
			}
			dst = utf8.AppendRune(dst, rune(n))
		}
	}
	return dst, true
}

// skipElement moves past the end of the element whose start was just read.
func (s *xmlScanner) skipElement() {
	if s.selfClose {
		return
	}
	depth := 1
	for depth > 0 {
		switch s.next() {
		case tokenEOF:
			return
		case tokenStart:
			if !s.selfClose {
				depth++
			}
		case tokenEnd:
			depth--
		}
	}
}
