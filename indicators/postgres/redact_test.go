package postgres_test

import (
	"testing"

	"chitieu/indicators/postgres"
)

func TestRedactMasksOnlyThePassword(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://chitieu:s3cret@db.example/chitieu":        "postgres://chitieu:***@db.example/chitieu",
		"postgres://chitieu:s3cret@/chitieu?host=/run/pg":     "postgres://chitieu:***@/chitieu?host=/run/pg",
		"postgres://postgres@/chitieu_test?host=/tmp/pg-main": "postgres://postgres@/chitieu_test?host=/tmp/pg-main",
		"postgres://chitieu:p@ss@db.example:5432/chitieu":     "postgres://chitieu:***@db.example:5432/chitieu",
		"host=/tmp dbname=chitieu":                            "host=/tmp dbname=chitieu",
	} {
		if got := postgres.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
