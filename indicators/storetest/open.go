package storetest

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"chitieu/indicators"
)

func tokens(t *testing.T, open Opener) {
	c := &Clock{T: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := withCatalog(t, open, c).Store
	admin := indicators.WithActor(context.Background(), indicators.Actor{User: "root", Role: indicators.Admin})
	addUser(t, db, admin, indicators.User{Name: "root", Role: indicators.Admin})
	addUser(t, db, admin, indicators.User{Name: "lan", Role: indicators.Planner, Units: []string{"CT"}})
	lan := indicators.WithActor(context.Background(), indicators.Actor{User: "lan", Role: indicators.Planner})
	tok := indicators.APIToken{User: "lan", Name: "báo cáo Cục Thống kê", Prefix: "ct_ab12", Hash: strings.Repeat("e", 64),
		Scopes: []string{indicators.ScopeRead, indicators.ScopeImport}, ExpiresAt: c.T.AddDate(0, 6, 0)}
	if err := db.CreateToken(lan, &tok); err != nil || tok.ID == 0 {
		t.Fatalf("CreateToken = %+v, %v", tok, err)
	}
	dup := tok
	dup.Hash = strings.Repeat("f", 64)
	if err := db.CreateToken(lan, &dup); indicators.ErrorCode(err) != indicators.ECONFLICT {
		t.Fatalf("a second token of the same name err = %v, want conflict", err)
	}
	if ev := lastEvent(t, db); ev.Action != "token.add" || strings.Contains(ev.After, tok.Hash) || !strings.Contains(ev.After, "ct_ab12") {
		t.Fatalf("token.add event = %+v; want the prefix, never the hash", ev)
	}
	got, owner, err := db.TokenByHash(lan, tok.Hash)
	if err != nil || got.ID != tok.ID || owner.Name != "lan" || len(owner.Units) != 1 || len(got.Scopes) != 2 ||
		!got.ExpiresAt.Equal(tok.ExpiresAt) || !got.CreatedAt.Equal(c.T) || !got.RevokedAt.IsZero() || !got.LastUsed.IsZero() {
		t.Fatalf("TokenByHash = %+v, %+v, %v", got, owner, err)
	}
	if _, _, err := db.TokenByHash(lan, strings.Repeat("0", 64)); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Fatalf("TokenByHash of an unknown hash err = %v, want not found", err)
	}
	last := c.T.Add(time.Hour)
	if err := db.RecordTokenUses(lan, tok.ID, 3, c.T.Add(time.Minute), last, "10.0.0.5"); err != nil {
		t.Fatal(err)
	}
	if ev := lastEvent(t, db); ev.Action != "token.use" || ev.User != "lan" || ev.Addr != "10.0.0.5" || !strings.Contains(ev.After, `"uses":3`) {
		t.Fatalf("token.use event = %+v", ev)
	}
	// The owner's own tokens, or everyone's; another user cannot revoke it.
	if ts, err := db.Tokens(lan, "lan"); err != nil || len(ts) != 1 || ts[0].Uses != 3 || !ts[0].LastUsed.Equal(last) {
		t.Fatalf("Tokens(lan) = %+v, %v", ts, err)
	}
	if ts, _ := db.Tokens(admin, "root"); len(ts) != 0 {
		t.Fatalf("Tokens(root) = %+v, want none", ts)
	}
	if err := db.RevokeToken(admin, tok.ID, "root"); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Fatalf("revoke another user's token as its owner err = %v, want not found", err)
	}
	c.T = c.T.Add(2 * time.Hour)
	if err := db.RevokeToken(admin, tok.ID, ""); err != nil {
		t.Fatal(err)
	}
	head, _ := db.AuditHead(admin)
	if err := db.RevokeToken(admin, tok.ID, ""); err != nil {
		t.Fatal(err)
	}
	if h, _ := db.AuditHead(admin); h != head {
		t.Fatalf("revoking a revoked token wrote %+v", h)
	}
	if ts, _ := db.Tokens(admin, ""); len(ts) != 1 || !ts[0].RevokedAt.Equal(c.T) || ts[0].RevokedBy != "root" || ts[0].Active(c.T) {
		t.Fatalf("Tokens after revoking = %+v", ts)
	}
}

func uploads(t *testing.T, open Opener) {
	c := &Clock{T: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := open(t, c.Now).Store
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "root", Role: indicators.Admin})
	body := []byte("PK\x03\x04 sổ kế hoạch")
	sum := fileSum(body)
	ev := indicators.AuditEvent{Action: "plan.upload", Object: "file:plan.xlsx"}
	if err := db.KeepUpload(ctx, sum, bytes.NewReader(body), ev); err != nil {
		t.Fatal(err)
	}
	if err := db.KeepUpload(ctx, sum, strings.NewReader("not read again"), ev); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := db.Upload(ctx, sum, &out); err != nil || !bytes.Equal(out.Bytes(), body) {
		t.Fatalf("Upload = %q, %v", out.String(), err)
	}
	evs, _ := db.AuditEvents(ctx, indicators.AuditFilter{Action: "plan.upload"})
	if len(evs) != 2 || evs[0].FileHash != sum || evs[0].User != "root" {
		t.Fatalf("upload events = %+v; want two naming the file", evs)
	}
	if err := db.Upload(ctx, fileSum([]byte("none")), &out); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Fatalf("Upload of an unknown file err = %v, want not found", err)
	}
	if err := db.Upload(ctx, "../etc/passwd", &out); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Fatalf("Upload of a non-hash err = %v, want not found", err)
	}
	if err := db.KeepUpload(ctx, fileSum([]byte("other")), bytes.NewReader(body), ev); err == nil {
		t.Fatal("an upload that does not match its hash was kept")
	}
	if err := db.Upload(ctx, fileSum([]byte("other")), &out); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Fatalf("a refused upload was kept: %v", err)
	}
}

func openData(t *testing.T, open Opener) {
	c := &Clock{T: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := withCatalog(t, open, c).Store
	ctx := indicators.WithActor(context.Background(), indicators.Actor{User: "root", Role: indicators.Admin})
	m, err := db.IndicatorMetadata(ctx, "ECO-01")
	if err != nil || !m.Empty() || m.Indicator != "ECO-01" {
		t.Fatalf("metadata before any = %+v, %v; want an empty sheet", m, err)
	}
	if _, err := db.IndicatorMetadata(ctx, "NOPE"); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Fatalf("metadata of an unknown indicator err = %v, want not found", err)
	}
	m.Definition, m.Unit = "Tốc độ tăng tổng sản phẩm trên địa bàn", "%, giá so sánh 2010"
	if err := db.SetIndicatorMetadata(ctx, m); err != nil {
		t.Fatal(err)
	}
	head, _ := db.AuditHead(ctx)
	if err := db.SetIndicatorMetadata(ctx, m); err != nil {
		t.Fatal(err)
	}
	if h, _ := db.AuditHead(ctx); h != head {
		t.Fatalf("a sheet that changes nothing wrote %+v", h)
	}
	got, err := db.IndicatorMetadata(ctx, "ECO-01")
	if err != nil || got.Unit != "%, giá so sánh 2010" || got.UpdatedBy != "root" || !got.UpdatedAt.Equal(c.T) {
		t.Fatalf("metadata = %+v, %v", got, err)
	}
	plan := SmallCatalog().Plans[0].ID
	if err := db.SetPlanPublic(ctx, plan, true); err != nil {
		t.Fatal(err)
	}
	if err := db.SetPlanPublic(ctx, "no-such-plan", true); indicators.ErrorCode(err) != indicators.ENOTFOUND {
		t.Fatalf("open an unknown plan err = %v, want not found", err)
	}
	if pub, err := db.PublicPlans(ctx); err != nil || len(pub) != 1 || !pub[plan] {
		t.Fatalf("PublicPlans = %v, %v", pub, err)
	}
	if err := db.SetPlanPublic(ctx, plan, false); err != nil {
		t.Fatal(err)
	}
	if pub, _ := db.PublicPlans(ctx); len(pub) != 0 {
		t.Fatalf("PublicPlans after closing = %v", pub)
	}
	if evs, _ := db.AuditEvents(ctx, indicators.AuditFilter{Action: "plan.public"}); len(evs) != 2 {
		t.Fatalf("plan.public events = %+v, want an opening and a closing", evs)
	}
	e := indicators.Export{Kind: indicators.ExportData, File: "so-lieu.xlsx", Format: "xlsx", Hash: strings.Repeat("a", 64), Size: 10}
	if err := db.RecordExport(ctx, e); err != nil {
		t.Fatal(err)
	}
	if ev := lastEvent(t, db); ev.Action != "report.export" || !strings.Contains(ev.After, "so-lieu.xlsx") {
		t.Fatalf("export event = %+v", ev)
	}
	if err := db.RecordExport(ctx, indicators.Export{Kind: "nonsense", File: "x"}); indicators.ErrorCode(err) != indicators.EINVALID {
		t.Fatalf("an export of an unknown kind err = %v, want invalid", err)
	}
}
