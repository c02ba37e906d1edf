// Package password hashes and checks passwords with argon2id. A hash is a
// PHC string that carries its own parameters and salt
// ($argon2id$v=19$m=19456,t=2,p=1$salt$key), so that the parameters can be
// raised later without breaking the hashes already stored.
//
// Hashing is deliberately expensive in memory and time; a Hasher bounds how
// many hashes run at once, so that a burst of logins cannot exhaust the
// server's memory.
package password

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"

	"golang.org/x/crypto/argon2"
)

// Params are the argon2id parameters of a hash.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8  // lanes
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// Default follows the OWASP minimum for argon2id: 19 MiB, 2 passes, 1 lane.
var Default = Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// Limits on parameters read from a stored hash, so that a damaged or forged
// hash cannot make one check take the server's memory or a minute.
const (
	maxMemory = 1 << 20 // KiB: 1 GiB
	maxTime   = 64
	maxKeyLen = 128
)

// ErrMalformed is returned for a string that is not an argon2id PHC hash.
var ErrMalformed = errors.New("password: not an argon2id hash")

var b64 = base64.RawStdEncoding

// Hash returns the PHC string of pw hashed with p and a fresh random salt.
func (p Params) Hash(pw string) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return p.encode(salt, key), nil
}

// Decoy returns a hash of parameters p that no password is known to match:
// a random salt and a random key instead of a derived one. Checking a
// password against it costs what checking against a real hash of p costs,
// which is what a login with an unknown name needs, without spending a
// hash's time and memory to make it.
func (p Params) Decoy() (string, error) {
	b := make([]byte, p.SaltLen+p.KeyLen)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("password: decoy: %w", err)
	}
	return p.encode(b[:p.SaltLen], b[p.SaltLen:]), nil
}

func (p Params) encode(salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// Decode reads the parameters, salt and key of a PHC string.
func Decode(hash string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(hash, "$")
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, key
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, ErrMalformed
	}
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		n, perr := strconv.ParseUint(v, 10, 32)
		if !ok || perr != nil {
			return p, nil, nil, ErrMalformed
		}
		switch k {
		case "m":
			p.Memory = uint32(n)
		case "t":
			p.Time = uint32(n)
		case "p":
			if n > 255 {
				return p, nil, nil, ErrMalformed
			}
			p.Threads = uint8(n)
		default:
			return p, nil, nil, ErrMalformed
		}
	}
	if salt, err = b64.DecodeString(parts[4]); err != nil {
		return p, nil, nil, ErrMalformed
	}
	if key, err = b64.DecodeString(parts[5]); err != nil {
		return p, nil, nil, ErrMalformed
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	if p.Time < 1 || p.Time > maxTime || p.Threads < 1 || p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory ||
		len(salt) < 8 || len(key) < 16 || len(key) > maxKeyLen {
		return p, nil, nil, ErrMalformed
	}
	return p, salt, key, nil
}

// Verify reports whether pw matches hash, comparing in constant time.
func Verify(hash, pw string) (bool, error) {
	p, salt, key, err := Decode(hash)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// Hasher hashes and verifies with a bound on how many run at once.
type Hasher struct {
	params Params
	slots  chan struct{}
	runs   atomic.Int64
}

// NewHasher returns a Hasher that hashes with p and runs at most n hashes
// at once (at least one).
func NewHasher(p Params, n int) *Hasher {
	if n < 1 {
		n = 1
	}
	return &Hasher{params: p, slots: make(chan struct{}, n)}
}

// Params are the parameters new hashes get.
func (h *Hasher) Params() Params { return h.params }

// Runs counts the hashes computed so far, verifications included.
func (h *Hasher) Runs() int64 { return h.runs.Load() }

// acquire waits for a free slot or for ctx to end.
func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		h.runs.Add(1)
		return nil
	case <-ctx.Done():
		return fmt.Errorf("password: waiting to hash: %w", ctx.Err())
	}
}

func (h *Hasher) release() { <-h.slots }

// Hash hashes pw with the Hasher's parameters.
func (h *Hasher) Hash(ctx context.Context, pw string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	return h.params.Hash(pw)
}

// Verify reports whether pw matches hash.
func (h *Hasher) Verify(ctx context.Context, hash, pw string) (bool, error) {
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	return Verify(hash, pw)
}
