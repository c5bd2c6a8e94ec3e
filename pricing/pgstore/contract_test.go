package pgstore_test

import (
	"context"
	"testing"

	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/loanbook/storetest"
	"tfpricing/pricing/pgstore"
	"tfpricing/pricing/pgstore/pgtest"
)

// The PostgreSQL store meets loanbook.Store's contract: the same suite as
// boltstore's, unchanged, each test on a database of its own.
func TestStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) loanbook.Store {
		s, err := pgstore.Open(context.Background(), pgtest.Database(t), pgstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}
