package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tfpricing/pricing/pgstore/pgtest"
)

// migrate copies a data file into an empty PostgreSQL database and checks
// both chains end at the same head; a second migrate into it is refused
// (exit 2); backup from PostgreSQL writes a bbolt file that audit verify
// accepts with the same head, and never overwrites an existing --out.
func TestMigrateAndBackUpFromPostgreSQL(t *testing.T) {
	ctx := context.Background()
	env := func(string) string { return "" }
	src, wantHead := smallBook(t)
	url := pgtest.Database(t)
	var out strings.Builder
	if err := run(ctx, []string{"migrate", "--from", src, "--to", url}, env, &out); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if !strings.Contains(out.String(), "24 decisions,") || !strings.Contains(out.String(), "4 loans,") ||
		!strings.Contains(out.String(), "verified both chains, "+wantHead) {
		t.Errorf("migrate output:\n%s", out.String())
	}
	err := run(ctx, []string{"migrate", "--from", src, "--to", url}, env, &out)
	if exitCode(err) != 2 || !strings.Contains(err.Error(), "empty") {
		t.Errorf("second migrate: %v (exit %d), want exit 2 naming an empty database", err, exitCode(err))
	}

	file := filepath.Join(t.TempDir(), "backup.db")
	out.Reset()
	if err := run(ctx, []string{"backup", "--db", url, "--out", file}, env, &out); err != nil {
		t.Fatalf("backup: %v", err)
	}
	if !strings.Contains(out.String(), wantHead) {
		t.Errorf("backup output:\n%s", out.String())
	}
	if entries, _ := os.ReadDir(filepath.Dir(file)); len(entries) != 1 {
		t.Errorf("files left beside the backup: %v", entries)
	}
	out.Reset()
	if err := run(ctx, []string{"audit", "verify", "--db", file}, env, &out); err != nil || !strings.Contains(out.String(), wantHead) {
		t.Errorf("audit verify of the backup: %v\n%s", err, out.String())
	}
	if err := run(ctx, []string{"backup", "--db", url, "--out", file}, env, &out); exitCode(err) != 2 {
		t.Errorf("backup over an existing file: %v, want exit 2", err)
	}
	if err := run(ctx, []string{"migrate", "--from", src}, env, &out); exitCode(err) != 2 {
		t.Errorf("migrate without --to: %v, want exit 2", err)
	}
}
