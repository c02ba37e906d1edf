package dashboard

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// listen serves s on a free local port until the test ends and returns
// its address.
func listen(t *testing.T, s *Server) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- s.ListenAndServe(ctx, "127.0.0.1:0", func(a net.Addr) { addrc <- a.String() }) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	select {
	case a := <-addrc:
		return a
	case err := <-done:
		t.Fatal(err)
	}
	return ""
}

// slowUpload starts a signed-in upload to /imports whose file part then
// arrives through send; it returns the connection.
func slowUpload(t *testing.T, s *Server, addr string, length int) net.Conn {
	t.Helper()
	ck, token := sessionFor(t, s, "admin")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	head := "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cham.xlsx\"\r\n" +
		"Content-Type: application/octet-stream\r\n\r\n"
	fmt.Fprintf(conn, "POST /imports HTTP/1.1\r\nHost: %s\r\nOrigin: http://%s\r\nCookie: %s=%s\r\nX-CSRF-Token: %s\r\n"+
		"Content-Type: multipart/form-data; boundary=B\r\nContent-Length: %d\r\n\r\n%s",
		addr, addr, ck.Name, ck.Value, token, len(head)+length+len("\r\n--B--\r\n"), head)
	return conn
}

// answer reads what the server says on conn, or that it closed it, and
// how long after start.
func answer(conn net.Conn, start time.Time) (string, time.Duration) {
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return "closed: " + err.Error(), time.Since(start)
	}
	b, _ := io.ReadAll(res.Body)
	return fmt.Sprintf("%d %s", res.StatusCode, b), time.Since(start)
}

// With serve --read-timeout 2s, an upload body that trickles in at a byte
// a second is cut about two seconds in and the page says why; a header
// that trickles in is cut as well; a body that keeps arriving faster than
// 16 KB a second may take longer than the timeout, and is read to its end.
func TestReadDeadlines(t *testing.T) {
	const timeout = 2 * time.Second
	s, _ := testServer(t, Config{ReadTimeout: timeout})
	addr := listen(t, s)

	start := time.Now()
	conn := slowUpload(t, s, addr, 1000)
	stop := make(chan struct{})
	go func() {
		for i := 0; i < 30; i++ {
			select {
			case <-stop:
				return
			case <-time.After(time.Second):
			}
			if _, err := conn.Write([]byte{'x'}); err != nil {
				return
			}
		}
	}()
	got, took := answer(conn, start)
	close(stop)
	if took > timeout+3*time.Second || !strings.Contains(got, "quá chậm") {
		t.Errorf("a body at a byte a second: after %v: %.300s; want it cut after about %v, saying the file came too slowly",
			took.Round(time.Millisecond), got, timeout)
	}

	start = time.Now()
	hc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer hc.Close()
	fmt.Fprintf(hc, "GET /login HTTP/1.1\r\nHost: %s\r\n", addr)
	go func() {
		for i := 0; i < 30; i++ {
			time.Sleep(500 * time.Millisecond)
			if _, err := fmt.Fprintf(hc, "X-Cham-%d: 1\r\n", i); err != nil {
				return
			}
		}
	}()
	if got, took := answer(hc, start); took > timeout+3*time.Second {
		t.Errorf("a header sent a line every half second: still open after %v (%.100s)", took.Round(time.Millisecond), got)
	}

	// 192 KB in 32 KB pieces every 600 ms: 3.6 s, at about 53 KB a second.
	start = time.Now()
	const size = 192 << 10
	conn = slowUpload(t, s, addr, size)
	go func() {
		piece := []byte(strings.Repeat("y", 32<<10))
		for sent := 0; sent < size; sent += len(piece) {
			time.Sleep(600 * time.Millisecond)
			if _, err := conn.Write(piece); err != nil {
				return
			}
		}
		io.WriteString(conn, "\r\n--B--\r\n")
	}()
	got, took = answer(conn, start)
	if took < timeout || strings.Contains(got, "quá chậm") || !strings.HasPrefix(got, "4") || !strings.Contains(got, "cham.xlsx") {
		t.Errorf("a steady body over %v: after %v: %.300s; want it read to its end and refused as not a workbook",
			timeout, took.Round(time.Millisecond), got)
	}
}

// A query value is copied into a page once at most, and cut: every GET
// route, as an admin (and the login page without a session), with every
// query parameter chitieu reads set to a 350-byte value, shows each value
// at most once (an API error once in each language). A 1 MB query string is refused with 414 and a short page.
func TestQueryValuesEchoedOnceAndBounded(t *testing.T) {
	t.Parallel()
	s, _ := testServer(t, Config{})
	ck, _ := sessionFor(t, s, "admin")
	names := []string{"plan", "period", "indicator", "asof", "done", "v", "user", "unit", "to", "text", "state",
		"object", "next", "kind", "group", "from", "format", "direction", "bye", "before", "q"}
	q := url.Values{}
	marker := func(name string) string { return "zq" + name + strings.Repeat("x", 340) }
	for _, n := range names {
		q.Set(n, marker(n))
	}
	if len(q.Encode()) > maxQuery {
		t.Fatalf("the test's query has %d bytes, over the limit of %d", len(q.Encode()), maxQuery)
	}
	get := func(path string, session bool) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if session {
			req.AddCookie(ck)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}
	walked := 0
	for _, r := range s.Echo().Routes() {
		if r.Method != http.MethodGet || strings.HasPrefix(r.Path, "/static") || strings.HasSuffix(r.Path, "/export") ||
			strings.HasPrefix(r.Path, "/reports/") {
			continue // files, not pages
		}
		path := strings.NewReplacer(":code", "ECO-01", ":id", "1", ":number", "1").Replace(r.Path)
		path = concrete(path) + "?" + q.Encode()
		for _, session := range []bool{true, false} {
			rec := get(path, session)
			walked++
			body := rec.Body.String()
			most := 1
			if strings.HasPrefix(r.Path, "/api/") {
				most = 2 // an API error carries its message in both languages
			}
			for _, n := range names {
				if k := strings.Count(body, marker(n)[:40]); k > most {
					t.Errorf("GET %s (session %v) = %d shows the value of %q %d times", r.Path, session, rec.Code, n, k)
				}
			}
			if loc := rec.Header().Get("Location"); len(loc) > 2*maxQuery {
				t.Errorf("GET %s redirects to an address of %d bytes", r.Path, len(loc))
			}
		}
	}
	if walked < 40 {
		t.Errorf("walked only %d pages", walked)
	}

	// One value of 100 bytes, a short query: the page shows it once.
	long := "zq" + strings.Repeat("y", 98)
	for _, path := range []string{"/indicators?q=" + long, "/login?next=/" + long, "/imports?state=" + long, "/?plan=" + long} {
		rec := get(path, !strings.HasPrefix(path, "/login"))
		if k := strings.Count(rec.Body.String(), long); k > 1 {
			t.Errorf("GET %s = %d shows the value %d times", path, rec.Code, k)
		}
	}

	huge := "/indicators?q=" + strings.Repeat("a", 1<<20)
	for _, session := range []bool{true, false} {
		rec := get(huge, session)
		if rec.Code != http.StatusRequestURITooLong || rec.Body.Len() > 64<<10 {
			t.Errorf("a 1 MB query (session %v) = %d with a page of %d bytes, want 414 and a short page", session, rec.Code, rec.Body.Len())
		}
	}
}
