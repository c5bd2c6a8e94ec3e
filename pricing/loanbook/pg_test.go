package loanbook_test

import (
	"context"
	"testing"

	"tfpricing/pricing/pgstore"
	"tfpricing/pricing/pgstore/pgtest"
)

// pgFixtureStore is pgstore's Store for the fixture; PostgreSQL keeps its
// own consistency, so Check has nothing to add.
type pgFixtureStore struct{ *pgstore.Store }

func (pgFixtureStore) Check() error { return nil }

// newPGFixture is newFixture over PostgreSQL (a database of the test's own).
func newPGFixture(tb testing.TB, today string) *fixture {
	return newPGFixtureAt(tb, pgtest.Database(tb), today)
}

// newPGFixtureAt is a fixture over the database at url: another replica,
// with a pool of its own, when url is another fixture's.
func newPGFixtureAt(tb testing.TB, url, today string) *fixture {
	s, err := pgstore.Open(context.Background(), url, pgstore.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return newFixtureOn(tb, today, pgFixtureStore{s})
}

// The loan book's tests that exercise the store hardest, over PostgreSQL.
func TestOverPostgreSQL(t *testing.T) {
	t.Run("IdempotencyKeyWithAnotherBody", func(t *testing.T) { testIdempotencyKeyWithAnotherBody(t, newPGFixture(t, "2026-11-27")) })
}
