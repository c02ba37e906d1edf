package main

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
)

// balancer is a layer-4 round-robin load balancer in this process: each
// TCP connection it accepts is handed whole to the next server in turn, and
// its bytes are copied both ways until either side is done, as a TCP
// balancer does (HAProxy in mode tcp, a cloud network load balancer). It
// never reads HTTP, so a kept-alive connection stays on the server it
// landed on: wrk's connections are shared out evenly, and a leader's
// session cookie must be good on every server, since consecutive
// connections of one client land on different ones. Between two TCP
// connections Go's io.Copy splices in the kernel, so the balancer's own
// cost is small next to the servers'; it runs on the same cores, as the
// benchmark's wrk does.
type balancer struct {
	ln       net.Listener
	backends []string // host:port
	next     atomic.Uint64
	handed   []atomic.Int64 // connections handed to each backend
	failed   atomic.Int64   // connections whose backend could not be reached

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup
}

// newBalancer listens on a free local port and shares its connections out
// among backends, in turn.
func newBalancer(backends []string) (*balancer, error) {
	if len(backends) == 0 {
		return nil, errors.New("benchweb: a balancer needs servers")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &balancer{ln: ln, backends: backends, handed: make([]atomic.Int64, len(backends)), conns: map[net.Conn]struct{}{}}
	b.wg.Add(1)
	go b.serve()
	return b, nil
}

// Addr is the address the balancer listens on.
func (b *balancer) Addr() string { return b.ln.Addr().String() }

// Handed returns how many connections went to each backend so far.
func (b *balancer) Handed() []int64 {
	out := make([]int64, len(b.handed))
	for i := range b.handed {
		out[i] = b.handed[i].Load()
	}
	return out
}

func (b *balancer) serve() {
	defer b.wg.Done()
	for {
		c, err := b.ln.Accept()
		if err != nil {
			return // closed
		}
		i := int((b.next.Add(1) - 1) % uint64(len(b.backends)))
		if !b.track(c) {
			c.Close()
			return
		}
		b.wg.Add(1)
		go b.pipe(c, i)
	}
}

// track records a live connection so that Close can end it; it reports
// false once the balancer is closed.
func (b *balancer) track(c net.Conn) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return false
	}
	b.conns[c] = struct{}{}
	return true
}

func (b *balancer) untrack(cs ...net.Conn) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, c := range cs {
		delete(b.conns, c)
		c.Close()
	}
}

// pipe copies the client's connection to backend i and back. When one
// side has sent all it will, the other is told so (a half close), as a TCP
// balancer passes a FIN on; both connections are closed once both
// directions are done.
func (b *balancer) pipe(client net.Conn, i int) {
	defer b.wg.Done()
	server, err := net.Dial("tcp", b.backends[i])
	if err != nil {
		b.failed.Add(1)
		b.untrack(client)
		return
	}
	b.handed[i].Add(1)
	if !b.track(server) {
		b.untrack(client, server)
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		io.Copy(server, client)
		closeWrite(server)
	}()
	io.Copy(client, server)
	closeWrite(client)
	<-done
	b.untrack(client, server)
}

func closeWrite(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.CloseWrite()
	}
}

// Close stops accepting, ends every connection in progress and waits for
// the copies to stop.
func (b *balancer) Close() error {
	err := b.ln.Close()
	b.mu.Lock()
	b.closed = true
	for c := range b.conns {
		c.Close()
	}
	b.mu.Unlock()
	b.wg.Wait()
	return err
}
