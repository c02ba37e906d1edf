package main

import (
	"fmt"
	"reflect"
	"strings"

	"chitieu/dashboard"
	"chitieu/indicators/postgres"
)

// postgresGaps lists what the server needs of its store (dashboard.Store)
// that the PostgreSQL store does not have yet, by method, read from the
// two types so that the list cannot fall behind either of them.
func postgresGaps() (missing []string, needed int) {
	need := reflect.TypeOf((*dashboard.Store)(nil)).Elem()
	have := reflect.TypeOf((*postgres.DB)(nil))
	for i := 0; i < need.NumMethod(); i++ {
		if _, ok := have.MethodByName(need.Method(i).Name); !ok {
			missing = append(missing, need.Method(i).Name)
		}
	}
	return missing, need.NumMethod()
}

// refusePostgres stops a command given a postgres:// database while the
// PostgreSQL store lacks part of what chitieu needs, with a sentence an
// operator can act on, rather than letting SQLite make a file named
// "postgres:" or a server fail on its first import.
func refusePostgres(db string) error {
	if !postgres.IsURL(db) {
		return nil
	}
	missing, needed := postgresGaps()
	if len(missing) == 0 {
		// Not reached while the gaps remain; when none do, cmd opens
		// PostgreSQL here instead.
		return fmt.Errorf("chitieu: the PostgreSQL store is complete but not yet wired into the commands")
	}
	return fmt.Errorf("--db %s: chitieu cannot run on PostgreSQL yet. The PostgreSQL store keeps plans, targets "+
		"with their revisions, values with their history, users, sessions and the audit trail, but not yet "+
		"imports (committing, rolling back and keeping files), mapping profiles, plan editing, API tokens, "+
		"indicator metadata, the public view, the record of exports, backup, restore or migrate-store "+
		"(%d of the %d methods the server needs: %s). Use a SQLite file (--db chitieu.db) for now "+
		"(chitieu chưa chạy được trên PostgreSQL; hãy dùng tệp SQLite)",
		redact(db), len(missing), needed, strings.Join(missing, ", "))
}

// redact hides a password in a connection URL before it is printed.
func redact(db string) string {
	scheme, rest, ok := strings.Cut(db, "://")
	if !ok {
		return db
	}
	auth, host, ok := strings.Cut(rest, "@")
	if !ok {
		return db
	}
	if user, _, hasPw := strings.Cut(auth, ":"); hasPw {
		return scheme + "://" + user + ":***@" + host
	}
	return db
}
