package postgres

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"strings"
	"sync"
	"time"

	"chitieu/indicators"

	"chitieu/indicators/auditjson"
	"github.com/jackc/pgx/v5"
)

// The audit chain is keyed as in the SQLite store: each event's hash is an
// HMAC-SHA-256 over the same canonical bytes, with a key kept in a file
// outside the database, so that a trail copied from SQLite verifies here
// unchanged and someone who can write the database but not read the key
// cannot rewrite an event and the chain after it. Every server of one
// database holds the same key: the database records the key's fingerprint
// when it is first signed and refuses any other.

// KeyPath is the file of the audit key.
func (db *DB) KeyPath() string { return db.keyPath }

// HeadsPath is the file of the heads this server recorded.
func (db *DB) HeadsPath() string { return db.headsPath }

// auditKey is the key and a pool of HMAC states.
type auditKey struct {
	key  []byte
	id   string // the first 16 hex digits of SHA-256 of the key, safe to print
	pool sync.Pool
}

func newAuditKey(key []byte) *auditKey {
	sum := sha256.Sum256(key)
	k := &auditKey{key: key, id: hex.EncodeToString(sum[:8])}
	k.pool.New = func() any { return hmac.New(sha256.New, k.key) }
	return k
}

func (k *auditKey) sum(b []byte) string {
	h := k.pool.Get().(hash.Hash)
	h.Reset()
	h.Write(b)
	var out [sha256.Size]byte
	s := hex.EncodeToString(h.Sum(out[:0]))
	k.pool.Put(h)
	return s
}

// eventHash is the hash of ev under k.
func (k *auditKey) eventHash(ev indicators.AuditEvent) string { return k.sum(canonicalEvent(ev)) }

// EventHash is the keyed hash of ev under the key in keyFile, for checking
// that both stores chain events alike.
func EventHash(keyFile string, ev indicators.AuditEvent) (string, error) {
	key, err := readKeyFile(keyFile)
	if err != nil {
		return "", err
	}
	return newAuditKey(key).eventHash(ev), nil
}

// eventHash is plain SHA-256 over the canonical event: the trail of a
// SQLite database made before keys, which a copy brings along.
func eventHash(ev indicators.AuditEvent) string {
	sum := sha256.Sum256(canonicalEvent(ev))
	return hex.EncodeToString(sum[:])
}

// timeLayout is the moment as the canonical event holds it, as the SQLite
// store writes it: UTC with fixed-width nanoseconds.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

// canonicalEvent is the bytes an event's hash is taken over: a JSON array
// of its content and the hash of the event before it. It must stay byte for
// byte what indicators/sqlite hashes; the store test suite checks it.
// The bytes are appended directly (auditjson.go), as json.Marshal of
// []any{prev_hash, at, user, addr, action, object, before, after, batch,
// file_hash} writes them.
func canonicalEvent(ev indicators.AuditEvent) []byte {
	return auditjson.AppendCanonical(make([]byte, 0, 256+len(ev.Before)+len(ev.After)+len(ev.Object)), &ev, fmtTime(ev.At))
}

// jsonOf renders v for the before/after columns of an event.
func jsonOf(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%q", fmt.Sprint(v))
	}
	return string(b)
}

func readKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) < 32 {
		return nil, indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("tệp khóa nhật ký kiểm toán %s không hợp lệ: cần 64 chữ số thập lục phân", path),
			fmt.Sprintf("the audit key file %s is not valid: it needs 64 hexadecimal digits", path))
	}
	return key, nil
}

func writeKeyFile(path string, key []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("postgres: create audit key %s: %w", path, err)
	}
	_, err = f.WriteString(hex.EncodeToString(key) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("postgres: write audit key %s: %w", path, err)
	}
	return nil
}

// keyEvent is the action of the event that starts the keyed chain.
const keyEvent = "audit.key"

// setUpKey loads the audit key, creating it for a database never signed,
// and checks it against the fingerprint the database recorded. A key file
// missing for a signed trail is refused rather than replaced, which would
// only make every event look forged; so is a key other than the recorded
// one, which a second server started with its own new key would have.
func (db *DB) setUpKey(ctx context.Context) error {
	db.heads = &headsFile{path: db.headsPath, log: db.log, now: db.now}
	key, err := readKeyFile(db.keyPath)
	missing := errors.Is(err, fs.ErrNotExist)
	if err != nil && !missing {
		return err
	}
	var recorded string
	err = db.pool.QueryRow(ctx, `SELECT value FROM meta WHERE key = 'audit_key'`).Scan(&recorded)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("postgres: read the audit key's fingerprint: %w", err)
	}
	if missing {
		if recorded != "" {
			return indicators.FieldError(indicators.EINVALID, "",
				fmt.Sprintf("không thấy tệp khóa nhật ký kiểm toán %s: nhật ký của %s đã được ký bằng khóa mã %s; hãy chép tệp khóa từ máy chủ khác hoặc bản sao lưu, hoặc chỉ ra nó bằng CHITIEU_AUDIT_KEY",
					db.keyPath, db.name, recorded),
				fmt.Sprintf("the audit key file %s is not found: the trail of %s is signed with the key of id %s; copy the key file from another server or a backup, or name it with CHITIEU_AUDIT_KEY",
					db.keyPath, db.name, recorded))
		}
		key = make([]byte, 32)
		rand.Read(key)
		if err := writeKeyFile(db.keyPath, key); err != nil {
			return err
		}
		db.log.Info("created the audit key", "file", db.keyPath)
	}
	db.key = newAuditKey(key)
	if recorded == "" {
		// Two servers starting at once on a new database: the first
		// fingerprint wins and the other server is refused below.
		tag, err := db.pool.Exec(ctx, `INSERT INTO meta (key, value) VALUES ('audit_key', $1) ON CONFLICT (key) DO NOTHING`, db.key.id)
		if err != nil {
			return fmt.Errorf("postgres: record the audit key's fingerprint: %w", err)
		}
		if tag.RowsAffected() == 1 {
			db.heads.record(recordKey, 0, "", "key="+db.key.id)
			return nil
		}
		if err := db.pool.QueryRow(ctx, `SELECT value FROM meta WHERE key = 'audit_key'`).Scan(&recorded); err != nil {
			return fmt.Errorf("postgres: read the audit key's fingerprint: %w", err)
		}
	}
	if recorded != db.key.id {
		return indicators.FieldError(indicators.EINVALID, "",
			fmt.Sprintf("khóa nhật ký kiểm toán %s (mã %s) khác khóa đã ký nhật ký của %s (mã %s): mọi máy chủ của một cơ sở dữ liệu phải dùng cùng một tệp khóa",
				db.keyPath, db.key.id, db.name, recorded),
			fmt.Sprintf("the audit key %s (id %s) is not the key that signed the trail of %s (id %s): every server of one database must use the same key file",
				db.keyPath, db.key.id, db.name, recorded))
	}
	return nil
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
