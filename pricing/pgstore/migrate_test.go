package pgstore

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"tfpricing/pricing/pgstore/pgtest"
)

// Every migration goes down and up again: the newest one step down and
// back, then all of them to nothing and back. The schedules' storage
// options (00006) are set by the newest and gone one step down.
func TestMigrationsDownAndUp(t *testing.T) {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, pgtest.Database(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, subFS())
	if err != nil {
		t.Fatal(err)
	}
	const set = "toast_tuple_target=8160,fillfactor=70 e"
	fillfactor := func() string { // the table's options, the record's storage
		t.Helper()
		var opts string
		if err := pool.QueryRow(ctx, `SELECT coalesce(array_to_string(reloptions, ','), '') || ' ' ||
			(SELECT attstorage::text FROM pg_attribute WHERE attrelid = 'schedules'::regclass AND attname = 'record')
			FROM pg_class WHERE oid = 'schedules'::regclass`).Scan(&opts); err != nil {
			t.Fatal(err)
		}
		return opts
	}
	step := func(what string, f func(context.Context) ([]*goose.MigrationResult, error)) {
		t.Helper()
		if _, err := f(ctx); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	step("up", p.Up)
	if got := fillfactor(); got != set {
		t.Errorf("schedules options %q after all migrations, want %q", got, set)
	}
	if _, err := p.Down(ctx); err != nil {
		t.Fatal(err)
	}
	if v, _ := p.GetDBVersion(ctx); v != 5 {
		t.Errorf("version %d one step down, want 5", v)
	}
	if got := fillfactor(); got != " x" {
		t.Errorf("schedules options %q one step down, want none and storage x (extended)", got)
	}
	step("up again", p.Up)
	if _, err := p.DownTo(ctx, 0); err != nil {
		t.Fatalf("down to 0: %v", err)
	}
	var tables int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'goose_db_version'`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Errorf("%d tables left after every migration went down, want 0", tables)
	}
	step("up from nothing", p.Up)
	if got := fillfactor(); got != set {
		t.Errorf("schedules options %q after migrating up from nothing, want %q", got, set)
	}
}
