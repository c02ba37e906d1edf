package password

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The parameters are written into the hash and read back from it, and they
// are at least the OWASP minimum.
func TestParamsReadBackFromStoredHash(t *testing.T) {
	h, err := Default.Hash("mật khẩu đủ dài")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q does not carry argon2id v=19 m=19456,t=2,p=1", h)
	}
	p, salt, key, err := Decode(h)
	if err != nil {
		t.Fatal(err)
	}
	if p != Default {
		t.Errorf("params read back = %+v, want %+v", p, Default)
	}
	if p.Memory < 19*1024 || p.Time < 2 || p.Threads != 1 {
		t.Errorf("params %+v below argon2id's minimum of 19 MiB, 2 passes, 1 lane", p)
	}
	if len(salt) != 16 || len(key) != 32 {
		t.Errorf("salt %d bytes, key %d bytes; want 16 and 32", len(salt), len(key))
	}
	h2, _ := Default.Hash("mật khẩu đủ dài")
	if h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
}

func TestVerify(t *testing.T) {
	weak := Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	h, err := Default.Hash("đúng mật khẩu")
	if err != nil {
		t.Fatal(err)
	}
	hw, _ := weak.Hash("đúng mật khẩu")
	for _, tc := range []struct {
		hash, pw string
		ok       bool
		err      bool
	}{
		{h, "đúng mật khẩu", true, false},
		{h, "đúng mật khẩu ", false, false},
		{h, "", false, false},
		{hw, "đúng mật khẩu", true, false}, // older, other parameters still verify
		{"", "x", false, true},
		{"$2a$10$abcdefghijklmnopqrstuv", "x", false, true},
		{strings.Replace(h, "t=2", "t=0", 1), "đúng mật khẩu", false, true},
		{strings.Replace(h, "p=1", "p=0", 1), "đúng mật khẩu", false, true},
		{strings.Replace(h, "m=19456", "m=99999999", 1), "đúng mật khẩu", false, true},
		{strings.Replace(h, "v=19", "v=16", 1), "đúng mật khẩu", false, true},
	} {
		ok, err := Verify(tc.hash, tc.pw)
		if ok != tc.ok || (err != nil) != tc.err {
			t.Errorf("Verify(%.40q, %q) = %v, %v; want %v, error %v", tc.hash, tc.pw, ok, err, tc.ok, tc.err)
		}
	}
}

// No more than n hashes run at once, however many callers arrive.
func TestHasherBoundsConcurrency(t *testing.T) {
	h := NewHasher(Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 2)
	var running, most atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := h.acquire(context.Background()); err != nil {
				t.Error(err)
				return
			}
			n := running.Add(1)
			for {
				m := most.Load()
				if n <= m || most.CompareAndSwap(m, n) {
					break
				}
			}
			time.Sleep(5 * time.Millisecond)
			running.Add(-1)
			h.release()
		}()
	}
	wg.Wait()
	if most.Load() != 2 {
		t.Errorf("at most %d hashes ran at once, want 2", most.Load())
	}
	if h.Runs() != 8 {
		t.Errorf("runs = %d, want 8", h.Runs())
	}
	// A caller whose request has ended stops waiting.
	full := NewHasher(Default, 1)
	full.slots <- struct{}{}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := full.Hash(ctx, "abcdefgh"); err == nil {
		t.Error("Hash with every slot taken and the context ended returned no error")
	}
}

func BenchmarkHashDefault(b *testing.B) {
	for b.Loop() {
		if _, err := Default.Hash("một mật khẩu bình thường"); err != nil {
			b.Fatal(err)
		}
	}
}

// A decoy carries the parameters it was made with, so checking a password
// against it costs what a real hash of them costs, and matches nothing.
func TestDecoyCostsWhatAHashCostsAndMatchesNothing(t *testing.T) {
	weak := Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	for _, p := range []Params{Default, weak} {
		d, err := p.Decoy()
		if err != nil {
			t.Fatal(err)
		}
		got, _, _, err := Decode(d)
		if err != nil || got != p {
			t.Fatalf("decoy %q reads back as %+v, %v; want %+v", d, got, err, p)
		}
		if d2, _ := p.Decoy(); d2 == d {
			t.Errorf("two decoys are equal: %q", d)
		}
		for _, pw := range []string{"", "đúng mật khẩu"} {
			if ok, err := Verify(d, pw); ok || err != nil {
				t.Errorf("Verify(decoy, %q) = %v, %v; want false, nil", pw, ok, err)
			}
		}
	}
}
