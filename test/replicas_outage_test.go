package test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tfpricing/pricing/pgstore/pgtest"
)

// pgProxy forwards TCP connections to PostgreSQL. cut closes every
// connection it carries and refuses new ones — to the replicas exactly
// what a database restart or a network partition looks like — until
// restore.
type pgProxy struct {
	ln     net.Listener
	target string
	down   atomic.Bool
	mu     sync.Mutex
	conns  map[net.Conn]bool
}

func newPGProxy(t *testing.T, target string) *pgProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &pgProxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go p.serve()
	return p
}

func (p *pgProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if p.down.Load() {
			c.Close()
			continue
		}
		go p.pipe(c)
	}
}

func (p *pgProxy) pipe(c net.Conn) {
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns[c], p.conns[s] = true, true
	p.mu.Unlock()
	go func() { io.Copy(s, c); s.Close() }()
	io.Copy(c, s)
	c.Close()
	p.mu.Lock()
	delete(p.conns, c)
	delete(p.conns, s)
	p.mu.Unlock()
}

func (p *pgProxy) cut() {
	p.down.Store(true)
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
	}
}

func (p *pgProxy) restore() { p.down.Store(false) }

// TestReplicasOutage takes PostgreSQL away from two replicas under load
// (every connection cut, new ones refused, for two seconds): writes answer
// 503 and /readyz is not ready meanwhile; afterwards both replicas serve
// again without a restart, and every acknowledged attestation is stored
// once.
func TestReplicasOutage(t *testing.T) {
	dbURL := pgtest.Database(t)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newPGProxy(t, u.Host)
	u.Host = proxy.ln.Addr().String()
	r := newReplicas(t, 2, u.String())
	status, out, _ := r.get(0).do("POST", "/v1/loans", "officer", bookingBody("OU-1"))
	if status != 201 {
		t.Fatalf("booking: %d %v", status, out)
	}
	loan := out["id"].(string)

	var mu sync.Mutex
	acked := map[string]string{}
	unacked := map[string]string{} // key → body
	codes := map[int]int{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for c := range 4 {
		base := r.get(c % 2).URL
		wg.Go(func() {
			client := &http.Client{Timeout: 10 * time.Second}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				key, body := fmt.Sprintf("ou-%d-%d", c, i), attestation(2026, fmt.Sprint(70+i%15), "")
				status, id, _ := postRaw(client, base, loan, key, body)
				mu.Lock()
				codes[status]++
				if status == 201 {
					acked[key] = id
				} else {
					unacked[key] = body
				}
				mu.Unlock()
				if status != 201 {
					time.Sleep(20 * time.Millisecond)
				}
			}
		})
	}
	time.Sleep(500 * time.Millisecond)
	proxy.cut()
	time.Sleep(time.Second)
	for i := range 2 {
		if s, _, _ := r.get(i).do("GET", "/readyz", "", nil); s != http.StatusServiceUnavailable {
			t.Errorf("replica %d /readyz during the outage: %d, want 503", i, s)
		}
	}
	time.Sleep(time.Second)
	proxy.restore()
	time.Sleep(1500 * time.Millisecond)
	close(stop)
	wg.Wait()
	for i := range 2 {
		if s, _, _ := r.get(i).do("GET", "/readyz", "", nil); s != http.StatusOK {
			t.Errorf("replica %d /readyz after the outage: %d, want 200", i, s)
		}
	}
	if codes[http.StatusServiceUnavailable] == 0 {
		t.Errorf("no 503 during the outage: %v", codes)
	}
	for code, n := range codes {
		if code != 201 && code != 503 {
			t.Errorf("%d answers %d: an outage must be 503", n, code)
		}
	}
	// Requests not acknowledged are sent again with their key: each either
	// committed before the cut (the stored answer comes back) or is made now.
	for key, body := range unacked {
		status, out := r.get(1).doKey("POST", "/v1/loans/"+loan+"/attestations", "verifier", key, body)
		if status != 201 {
			t.Fatalf("resend %s: %d %v", key, status, out)
		}
		acked[key] = out["attestation"].(map[string]any)["id"].(string)
	}
	stored := attestedIDs(t, r.get(0), []string{loan})
	for key, id := range acked {
		if !stored[id] {
			t.Errorf("acknowledged attestation %s (key %s) is missing", id, key)
		}
	}
	if len(stored) != len(acked) {
		t.Errorf("%d attestations stored for %d keys", len(stored), len(acked))
	}
	verifyAll(t, r.get(0), dbURL)
	t.Logf("answers during the run: %v", codes)
}
