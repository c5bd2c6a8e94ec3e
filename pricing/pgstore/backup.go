package pgstore

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"tfpricing/pricing/boltstore"
	"tfpricing/pricing/bookcopy"
)

// Backup implements loanbook.Auditor (GET /v1/admin/backup): the book, read
// in one REPEATABLE READ, read-only transaction, is written into a new
// bbolt file in the temporary directory — the portable file the offline
// audit tools read, whichever store the bank runs — whose snapshot is then
// sent to w (with its size first, as boltstore's Backup does) and deleted.
func (s *Store) Backup(w io.Writer) (int64, error) {
	dir, err := os.MkdirTemp("", "tfpricing-backup-*")
	if err != nil {
		return 0, fmt.Errorf("pgstore: backup: %w", err)
	}
	defer os.RemoveAll(dir)
	file, err := boltstore.Open(filepath.Join(dir, "backup.db"), boltstore.Options{})
	if err != nil {
		return 0, fmt.Errorf("pgstore: backup: %w", err)
	}
	defer file.Close()
	if _, err := bookcopy.Between(context.Background(), s, file); err != nil {
		return 0, err
	}
	return file.Backup(w)
}
