package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"tfpricing/pricing/audit"
	"tfpricing/pricing/boltstore"
	"tfpricing/pricing/bookcopy"
	"tfpricing/pricing/pgstore"
)

// migrateCmd implements "migrate --from FILE.db --to postgres://…": the
// book of a data file no service holds copied into an empty PostgreSQL
// database in one transaction (package bookcopy), the decision chain
// verified on both sides and required to end at the same head.
func migrateCmd(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlagSet("migrate")
	from := fs.String("from", "", "bbolt data file to copy (opened read-only; no service may hold it)")
	to := fs.String("to", "", "postgres:// URL of an empty database (its schema is created if missing)")
	if err := parseFlags(fs, args, stdout); err != nil {
		return helpIsOK(err)
	}
	if *from == "" || !isPostgres(*to) || isPostgres(*from) {
		return usageErrorFor(fs, "--from FILE.db and --to postgres://… are both required")
	}
	src, err := openReadOnly(*from)
	if err != nil {
		return err
	}
	defer src.Close()
	r, err := verifiedChain(ctx, src, *from)
	if err != nil {
		return err
	}
	head := r.Head
	dst, err := pgstore.Open(ctx, *to, pgstore.Options{MaxConns: 4})
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("cannot open the database: %w", err)}
	}
	defer dst.Close()
	t0 := time.Now()
	c, err := bookcopy.Between(ctx, src.(*boltstore.Store), dst)
	if errors.Is(err, bookcopy.ErrNotEmpty) {
		return &exitError{code: 2, err: fmt.Errorf("%s: %w", redactDB(*to), err)}
	} else if err != nil {
		return &exitError{code: 1, err: fmt.Errorf("migrate: %w (nothing was committed)", err)}
	}
	took := time.Since(t0)
	r, err = verifiedChain(ctx, pgReadStore{dst}, redactDB(*to))
	if err != nil {
		return err
	}
	if got := r.Head; got != head {
		return &exitError{code: 1, err: fmt.Errorf("the database's chain ends at decision %d %s, the file's at %d %s", got.Seq, got.Hash, head.Seq, head.Hash)}
	}
	fmt.Fprintf(stdout, "migrated %s to %s in %v: %v\n", *from, redactDB(*to), took.Round(time.Millisecond), c)
	fmt.Fprintf(stdout, "verified both chains, head %d %s: OK\n", head.Seq, head.Hash)
	return nil
}

// verifiedChain walks the decision chain of s as "audit verify" does and
// returns its report; a chain that does not verify is an exit error (1),
// one that cannot be read another (2). name is how messages call s.
func verifiedChain(ctx context.Context, s readStore, name string) (audit.ChainReport, error) {
	book, err := offlineBook(ctx, s)
	if err != nil {
		return audit.ChainReport{}, err
	}
	r, err := book.VerifyChain(ctx, nil, nil)
	if err != nil {
		return audit.ChainReport{}, &exitError{code: 2, err: fmt.Errorf("verifying %s: %w", name, err)}
	}
	if !r.OK {
		return audit.ChainReport{}, &exitError{code: 1, err: fmt.Errorf("the decision chain of %s is broken at decision %d: %s", name, r.FirstBrokenSeq, r.Reason)}
	}
	return r, nil
}

// pgBackup is "backup --db postgres://… --out FILE": the book read in one
// REPEATABLE READ, read-only transaction and written into a new bbolt
// file — the portable file the offline audit tools read — which is
// checked, verified to end at the copied head, and renamed into place.
func pgBackup(ctx context.Context, db, out string, stdout io.Writer) error {
	src, err := openReadOnly(db)
	if err != nil {
		return err
	}
	defer src.Close()
	dir, err := os.MkdirTemp(filepath.Dir(out), ".tfpricing-backup-*")
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("cannot write in the directory %s: %w", filepath.Dir(out), errors.Unwrap(err))}
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, "backup.db")
	dst, err := boltstore.Open(tmp, boltstore.Options{})
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("backup: %w", err)}
	}
	t0 := time.Now()
	c, err := bookcopy.Between(ctx, src.(pgReadStore).Store, dst)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("backup: %w", err)}
	}
	took := time.Since(t0)
	check, err := openReadOnly(tmp)
	if err != nil {
		return err
	}
	err = check.Check()
	var r audit.ChainReport
	if err == nil {
		r, err = verifiedChain(ctx, check, out)
	}
	check.Close()
	if err == nil && r.Head != c.Head {
		err = fmt.Errorf("the backup's chain ends at decision %d, the database's at %d", r.Head.Seq, c.Head.Seq)
	}
	if err == nil {
		err = os.Rename(tmp, out)
	}
	if err != nil {
		return &exitError{code: 1, err: fmt.Errorf("backup: %w", err)}
	}
	fmt.Fprintf(stdout, "backed up %s to %s in %v: %v\n", redactDB(db), out, took.Round(time.Millisecond), c)
	fmt.Fprintf(stdout, "verified the backup's chain, head %d %s: OK\n", c.Head.Seq, c.Head.Hash)
	return nil
}
