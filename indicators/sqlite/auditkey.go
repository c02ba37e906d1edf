package sqlite

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"sync"

	"chitieu/indicators"
	"chitieu/indicators/auditjson"
)

// The audit chain is keyed: each event's hash is an HMAC-SHA-256 with a
// key kept in a file beside the database (or where WithAuditKey says), so
// that someone who can write the database but not read the key cannot
// rewrite an event and recompute the chain after it. A database made
// before the key existed keeps its plain SHA-256 events; the first event
// under the key is an "audit.key" event that closes the plain part, and
// being keyed itself it pins the plain part's last hash.

// WithAuditKey sets the file of the audit key; the default is the
// database's path with ".key" added.
func WithAuditKey(path string) Option { return func(db *DB) { db.keyPath = path } }

// KeyPath is the file of the audit key.
func (db *DB) KeyPath() string { return db.keyPath }

// auditKey is the key and a pool of HMAC states, since building one costs
// more than hashing an event.
type auditKey struct {
	key  []byte
	id   string // a fingerprint, safe to print: the first 16 hex digits of SHA-256 of the key
	pool sync.Pool
}

func newAuditKey(key []byte) *auditKey {
	sum := sha256.Sum256(key)
	k := &auditKey{key: key, id: hex.EncodeToString(sum[:8])}
	k.pool.New = func() any { return hmac.New(sha256.New, k.key) }
	return k
}

// sum is the HMAC of b, hex.
func (k *auditKey) sum(b []byte) string {
	h := k.pool.Get().(hash.Hash)
	h.Reset()
	h.Write(b)
	var out [sha256.Size]byte
	s := hex.EncodeToString(h.Sum(out[:0]))
	k.pool.Put(h)
	return s
}

// readKeyFile reads a key file: 64 hex digits. A missing file is
// fs.ErrNotExist.
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

// writeKeyFile writes key to path, readable by the owner only, refusing to
// replace a file that is there.
func writeKeyFile(path string, key []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("sqlite: create audit key %s: %w", path, err)
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
		return fmt.Errorf("sqlite: write audit key %s: %w", path, err)
	}
	return nil
}

// canonicalEvent is the bytes an event's hash is taken over: a JSON array
// of its content and the hash of the event before it.
func canonicalEvent(ev indicators.AuditEvent) []byte {
	b, _ := json.Marshal([]any{ev.PrevHash, fmtTime(ev.At), ev.User, ev.Addr, ev.Action, ev.Object,
		ev.Before, ev.After, ev.Batch, ev.FileHash})
	return b
}

// keyedHash is the hash of ev under k.
func (k *auditKey) eventHash(ev indicators.AuditEvent) string { return k.sum(canonicalEvent(ev)) }

// fastHash is k.eventHash(ev) built as fastEventHash builds it, with buf
// as scratch space and at the event's time as stored.
func (k *auditKey) fastHash(buf []byte, ev *indicators.AuditEvent, at string) (string, []byte) {
	b := auditjson.AppendCanonical(buf[:0], ev, at)
	return k.sum(b), b
}

// keyEvent is the action of the event that starts the keyed chain.
const keyEvent = "audit.key"

// setUpKey loads the audit key, or creates it when the trail has never
// been signed: a new database, or one made before keys, whose plain chain
// is then closed by an audit.key event. A signed trail whose key is
// missing is refused rather than given a new key, which could only make
// every event look forged.
func (db *DB) setUpKey(ctx context.Context) error {
	if db.keyPath == "" {
		db.keyPath = db.path + ".key"
	}
	if db.headsPath == "" {
		db.headsPath = db.path + ".heads"
	}
	db.heads = &headsFile{path: db.headsPath, log: db.log, now: db.now}
	key, err := readKeyFile(db.keyPath)
	missing := errors.Is(err, fs.ErrNotExist)
	if err != nil && !missing {
		return err
	}
	var lastID int64
	var last indicators.AuditEvent
	var keyed int
	var at string
	err = db.write.QueryRowContext(ctx, `SELECT `+auditColumns+`, (SELECT COUNT(*) FROM audit_events WHERE action = ?)
		FROM audit_events e ORDER BY e.id DESC LIMIT 1`, keyEvent).Scan(&last.ID, &at, &last.User, &last.Addr,
		&last.Action, &last.Object, &last.Before, &last.After, &last.Batch, &last.FileHash, &last.PrevHash, &last.Hash, &keyed)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("sqlite: read the end of the audit trail: %w", err)
	}
	lastID = last.ID
	last.At = parseTime(at)
	// A trail is plain when it has events, none under a key, and its last
	// event holds as plain SHA-256.
	plain := lastID > 0 && keyed == 0 && eventHash(last) == last.Hash
	if missing {
		if lastID > 0 && !plain {
			return indicators.FieldError(indicators.EINVALID, "",
				fmt.Sprintf("không thấy tệp khóa nhật ký kiểm toán %s: nhật ký của %s đã được ký bằng khóa; hãy đặt lại tệp khóa (bản sao lưu có tệp .key đi kèm) hoặc chỉ ra nó bằng CHITIEU_AUDIT_KEY",
					db.keyPath, db.path),
				fmt.Sprintf("the audit key file %s is not found: the trail of %s is signed with a key; put the key file back (a backup has its .key beside it) or name it with CHITIEU_AUDIT_KEY",
					db.keyPath, db.path))
		}
		key = make([]byte, 32)
		rand.Read(key)
		if err := writeKeyFile(db.keyPath, key); err != nil {
			return err
		}
		db.log.Info("created the audit key", "file", db.keyPath)
	}
	db.key = newAuditKey(key)
	switch {
	case lastID == 0 && missing:
		db.heads.record(recordKey, 0, "", "key="+db.key.id)
	case plain:
		// A plain trail whose heads file already knows a key has been
		// rewritten, not made before keys: it is left for verify to name.
		seg, err := readHeads(db.headsPath)
		if (err != nil && !errors.Is(err, fs.ErrNotExist)) || lastSegment(seg).hasKey() {
			db.log.Error("the audit trail is unsigned but its heads file records a key or cannot be read; not signing it over",
				"db", db.path, "err", err)
			return nil
		}
		err = db.writeTx(ctx, func(tx *sql.Tx) error {
			return db.audit(ctx, tx, indicators.AuditEvent{User: "system", Action: keyEvent, Object: "audit:key",
				After: jsonOf(map[string]any{"key": db.key.id, "plain_to": lastID})})
		})
		if err != nil {
			return fmt.Errorf("sqlite: start the keyed audit chain: %w", err)
		}
		h, err := db.AuditHead(ctx)
		if err != nil {
			return err
		}
		db.heads.record(recordKey, h.LastID, h.Hash, "key="+db.key.id+" plain_to=#"+strconv.FormatInt(lastID, 10))
		db.log.Info("the audit trail is signed from now on", "plain_to", lastID, "key_event", h.LastID)
	}
	return nil
}
