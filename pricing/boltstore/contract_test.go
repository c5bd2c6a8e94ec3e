package boltstore_test

import (
	"path/filepath"
	"testing"

	"tfpricing/pricing/boltstore"
	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/loanbook/storetest"
)

// The bbolt store meets loanbook.Store's contract; every store it opens
// passes bbolt's consistency check when the test ends.
func TestStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) loanbook.Store {
		s, err := boltstore.Open(filepath.Join(t.TempDir(), "contract.db"), boltstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := s.Check(); err != nil {
				t.Errorf("consistency check: %v", err)
			}
			if err := s.Close(); err != nil {
				t.Error(err)
			}
		})
		return s
	})
}
