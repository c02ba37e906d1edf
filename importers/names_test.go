package importers_test

import (
	"testing"

	"chitieu/importers"
)

func TestCleanTextAndMatchKey(t *testing.T) {
	t.Parallel()
	decomposed := "Tỷ le\u0323\u0302" // ệ as e + dot below + circumflex
	for _, tc := range []struct{ in, want string }{
		{"  Tốc độ\u00a0tăng  trưởng\tGRDP \u200b", "Tốc độ tăng trưởng GRDP"},
		{decomposed, "Tỷ lệ"},
		{"Số\u2007bác\u202fsĩ", "Số bác sĩ"},
		{"plain text", "plain text"},
	} {
		if got := importers.CleanText(tc.in); got != tc.want {
			t.Errorf("CleanText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	same := [][2]string{
		{"Số bác sĩ/vạn dân", "so bac si  van dan"},
		{"TỐC ĐỘ TĂNG TRƯỞNG GRDP", "Tốc độ tăng trưởng GRDP\u00a0"},
		{decomposed, "Tỷ lệ"},
		{"Đường", "duong"},
	}
	for _, p := range same {
		if importers.MatchKey(p[0]) != importers.MatchKey(p[1]) {
			t.Errorf("MatchKey(%q) = %q and MatchKey(%q) = %q, want equal", p[0], importers.MatchKey(p[0]), p[1], importers.MatchKey(p[1]))
		}
	}
	if importers.MatchKey("Tỷ lệ hộ nghèo") == importers.MatchKey("Tỷ lệ hộ nghèo (chuẩn mới)") {
		t.Error("MatchKey folds away words, not just marks")
	}
}
