package main

import (
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"tfpricing/pricing/boltstore"
	"tfpricing/pricing/bookcopy"
	"tfpricing/pricing/loanbook"
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

// The version-1 compatibility fixture (old record formats, idempotency
// records holding whole responses) migrates, and its backup from
// PostgreSQL holds the same records: the counts printed both ways match,
// and the backup replays and verifies to the file's head.
func TestMigrateVersion1File(t *testing.T) {
	ctx := context.Background()
	env := func(string) string { return "" }
	src := filepath.Join(t.TempDir(), "v1.db")
	gz, err := os.Open("../../test/testdata/v1.db.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer gz.Close()
	zr, err := gzip.NewReader(gz)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil || os.WriteFile(src, raw, 0o600) != nil {
		t.Fatal(err)
	}
	url := pgtest.Database(t)
	var out strings.Builder
	if err := run(ctx, []string{"migrate", "--from", src, "--to", url}, env, &out); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	migrated := out.String()
	counts := migrated[strings.Index(migrated, ": ")+2 : strings.Index(migrated, "\n")]
	head := migrated[strings.Index(migrated, "head "):]
	file := filepath.Join(t.TempDir(), "backup.db")
	out.Reset()
	if err := run(ctx, []string{"backup", "--db", url, "--out", file}, env, &out); err != nil {
		t.Fatalf("backup: %v", err)
	}
	if !strings.Contains(out.String(), counts) || !strings.Contains(counts, "idempotency") {
		t.Errorf("backup copied other counts:\n%s\nmigrate:\n%s", out.String(), migrated)
	}
	out.Reset()
	if err := run(ctx, []string{"audit", "verify", "--db", file}, env, &out); err != nil || !strings.Contains(out.String(), strings.TrimSuffix(head, "\n")) {
		t.Errorf("audit verify of the backup: %v\n%s\nwant %s", err, out.String(), head)
	}
	if err := run(ctx, []string{"audit", "replay", "--all", "--db", file}, env, &out); err != nil {
		t.Errorf("audit replay of the backup: %v", err)
	}
	if a, b := idempotencyRecords(t, src), idempotencyRecords(t, file); len(a) == 0 || !reflect.DeepEqual(a, b) {
		t.Errorf("idempotency records differ after the round trip (%d and %d)", len(a), len(b))
	}
	// Byte for byte too: a version-1 record's header keeps what it
	// stored, the HTTP status (201) of the response that follows it
	// included, so that the binary that wrote the file can still serve it.
	a, b := rawBucket(t, src, "idempotency"), rawBucket(t, file, "idempotency")
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("%d and %d raw idempotency records", len(a), len(b))
	}
	for k, v := range a {
		if b[k] != v {
			head := func(s string) string { h, _, _ := strings.Cut(s, "\n"); return h }
			t.Errorf("idempotency record %q: header\n%s\nafter the round trip\n%s", k, head(v), head(b[k]))
		}
	}
}

// rawBucket reads a bucket of a data file as stored.
func rawBucket(t *testing.T, path, bucket string) map[string]string {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]string{}
	err = db.View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte(bucket)).ForEach(func(k, v []byte) error {
			out[string(k)] = string(v)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// idempotencyRecords reads every idempotency record of a data file.
func idempotencyRecords(t *testing.T, path string) []loanbook.IdempotencyRecord {
	t.Helper()
	s, err := boltstore.Open(path, boltstore.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var out []loanbook.IdempotencyRecord
	err = s.ExportBook(context.Background(), func(src bookcopy.Source) error {
		keys, err := src.IdempotencyKeys()
		for _, k := range keys {
			r, _, err := src.Idempotency(k)
			if err != nil {
				return err
			}
			r.CreatedAt = r.CreatedAt.UTC()
			out = append(out, r)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
