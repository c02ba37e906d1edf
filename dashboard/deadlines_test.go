package dashboard

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
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
