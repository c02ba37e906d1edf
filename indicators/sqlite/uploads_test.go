package sqlite_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"chitieu/indicators"
	"chitieu/indicators/storetest"
)

// A kept upload comes back byte for byte, with its audit event naming its
// hash; keeping it twice stores it once; a hash that does not match the
// bytes stores nothing; an unknown hash is not found.
func TestKeepUpload(t *testing.T) {
	t.Parallel()
	db, _, ctx := planningDB(t)
	data := bytes.Repeat([]byte("sổ kế hoạch "), 200000) // over two chunks of 1 MB
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	before := storetest.LastEventID(t, db)
	ev := indicators.AuditEvent{Action: "planbook.preview", Object: "planbook:" + hash[:16], After: `{"file":"a.xlsx"}`}
	for i := 0; i < 2; i++ {
		if err := db.KeepUpload(ctx, hash, bytes.NewReader(data), ev); err != nil {
			t.Fatal(err)
		}
	}
	var got bytes.Buffer
	if err := db.Upload(ctx, hash, &got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), data) {
		t.Errorf("the kept file comes back with %d bytes, want %d", got.Len(), len(data))
	}
	evs := storetest.Events(t, db, before)["planbook.preview"]
	if len(evs) != 2 || evs[0].FileHash != hash || evs[0].User != "quantri" {
		t.Errorf("audit events = %+v, want two naming the file by its hash", evs)
	}

	other := []byte("khác")
	if err := db.KeepUpload(ctx, strings.Repeat("ab", 32), bytes.NewReader(other), ev); err == nil {
		t.Error("a file whose bytes do not match its hash was kept")
	}
	if err := db.Upload(ctx, strings.Repeat("ab", 32), &got); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Errorf("a refused file reads back with %v, want not found", err)
	}
	if err := db.Upload(ctx, "../etc", &got); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Errorf("a malformed hash gave %v, want not found", err)
	}
	if n := len(storetest.Events(t, db, before)["planbook.preview"]); n != 2 {
		t.Errorf("the refused file left %d audit events, want the 2 of before", n)
	}
}
