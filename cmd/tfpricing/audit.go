package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tfpricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/boltstore"
	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/pgstore"
)

// The offline audit tools (DESIGN.md §2, §6): they open a data file
// read-only — a backup copy, or the file of a stopped service (a running
// one holds its lock) — and exit 0 when all is well, 1 when a check fails
// (a broken chain, a replay that differs) and 2 on usage or open errors.

// auditCmd dispatches "audit verify|replay|checkpoint".
func auditCmd(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return usageError("audit needs a subcommand: verify, replay or checkpoint")
	}
	if isHelp(args[0]) {
		_, err := fmt.Fprint(stdout, auditUsage)
		return err
	}
	switch args[0] {
	case "verify":
		return auditVerify(ctx, args[1:], stdout)
	case "replay":
		return auditReplay(ctx, args[1:], stdout)
	case "checkpoint":
		return auditCheckpoint(ctx, args[1:], stdout)
	}
	return &exitError{code: 2, err: fmt.Errorf("unknown audit subcommand %q\n\n%s", args[0], strings.TrimRight(auditUsage, "\n"))}
}

// readStore is a store opened read-only for the offline tools.
type readStore interface {
	loanbook.Store
	Close() error
	Check() error // bbolt's consistency check; nil for PostgreSQL
}

// pgReadStore is a PostgreSQL store for the offline tools: every read is a
// read-only transaction; the database's own consistency is PostgreSQL's.
type pgReadStore struct{ *pgstore.Store }

func (pgReadStore) Check() error { return nil }

// openReadOnly opens a data file, or a postgres:// URL, for the audit tools.
func openReadOnly(path string) (readStore, error) {
	if path == "" {
		return nil, usageError("--db FILE is required")
	}
	if isPostgres(path) {
		s, err := pgstore.Open(context.Background(), path, pgstore.Options{ReadOnly: true, MaxConns: 4})
		if err != nil {
			return nil, &exitError{code: 2, err: fmt.Errorf("cannot open the database: %w", err)}
		}
		return pgReadStore{s}, nil
	}
	s, err := boltstore.Open(path, boltstore.Options{ReadOnly: true, LockTimeout: time.Second})
	if err != nil {
		return nil, &exitError{code: 2, err: fmt.Errorf("cannot open the data file: %w", err)}
	}
	return s, nil
}

// offlineBook is the loan book over a data file no service holds, for the
// audit and backup commands: they read through it as the API does. They
// read no business date (each decision carries its own).
func offlineBook(ctx context.Context, s loanbook.Store) (*loanbook.Service, error) {
	book, err := loanbook.New(ctx, loanbook.Config{Store: s, Today: func() tfpricing.Date { return tfpricing.Date{} }})
	if err != nil {
		return nil, &exitError{code: 2, err: err}
	}
	return book, nil
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// auditVerify implements "audit verify --db FILE [--checkpoint FILE]...
// [--public-key FILE]": bbolt's consistency check, then the chain walked as
// GET /v1/audit/verify does, each checkpoint's record required to have the
// hash it signed.
func auditVerify(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlagSet("audit verify")
	db := fs.String("db", "", "data file to verify (opened read-only)")
	var cps stringList
	fs.Var(&cps, "checkpoint", "a checkpoint from GET /v1/audit/checkpoint (repeatable)")
	pubFile := fs.String("public-key", "", "the key the checkpoints are verified with (PEM, base64, or the JSON of GET /v1/audit/public-key)")
	if err := parseFlags(fs, args, stdout); err != nil {
		return helpIsOK(err)
	}
	if len(cps) > 0 && *pubFile == "" {
		return usageError("--checkpoint needs --public-key")
	}
	var pins []audit.Checkpoint
	var pub []byte
	if *pubFile != "" {
		k, err := readPublicKey(*pubFile)
		if err != nil {
			return &exitError{code: 2, err: err}
		}
		pub = k
		for _, path := range cps {
			raw, err := os.ReadFile(path)
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			cp, err := audit.DecodeCheckpoint(raw)
			if err != nil {
				return &exitError{code: 2, err: fmt.Errorf("checkpoint %s: %s", path, tfpricing.ErrorMessage(err))}
			}
			if err := cp.Verify(k); err != nil {
				fmt.Fprintf(stdout, "checkpoint %s: %s\n", path, tfpricing.ErrorMessage(err))
				return &exitError{code: 1, err: fmt.Errorf("checkpoint %s is not signed by the given key", path)}
			}
			pins = append(pins, cp)
		}
	}
	s, err := openReadOnly(*db)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Check(); err != nil {
		return &exitError{code: 2, err: fmt.Errorf("the data file %s failed its consistency check: %w", *db, err)}
	}
	book, err := offlineBook(ctx, s)
	if err != nil {
		return err
	}
	r, err := book.VerifyChain(ctx, pins, pub)
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("verifying %s: %w", *db, err)}
	}
	for _, cp := range pins {
		if r.OK || cp.Seq < r.FirstBrokenSeq {
			fmt.Fprintf(stdout, "checkpoint of decision %d (signed %s): hash matches\n", cp.Seq, cp.SignedAt.Format(time.RFC3339))
		}
	}
	if !r.OK {
		fmt.Fprintf(stdout, "chain broken at decision %d: %s\n", r.FirstBrokenSeq, r.Reason)
		fmt.Fprintf(stdout, "verified %d decisions, head %d %s: BROKEN at %d\n", r.Checked, r.Head.Seq, r.Head.Hash, r.FirstBrokenSeq)
		return &exitError{code: 1, err: fmt.Errorf("the decision chain is broken at decision %d", r.FirstBrokenSeq)}
	}
	fmt.Fprintf(stdout, "verified %d decisions, head %d %s: OK\n", r.Checked, r.Head.Seq, r.Head.Hash)
	return nil
}

// auditCheckpoint implements "audit checkpoint --db FILE --key FILE": the
// chain verified, then its head signed with the key, printed as
// GET /v1/audit/checkpoint gives it.
func auditCheckpoint(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlagSet("audit checkpoint")
	db := fs.String("db", "", "data file (opened read-only)")
	keyFile := fs.String("key", "", "the signing key (PEM PKCS #8 Ed25519, e.g. tfpricing-audit.key)")
	if err := parseFlags(fs, args, stdout); err != nil {
		return helpIsOK(err)
	}
	if *keyFile == "" {
		return usageError("--key FILE is required")
	}
	priv, err := readPrivateKey(*keyFile)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	s, err := openReadOnly(*db)
	if err != nil {
		return err
	}
	defer s.Close()
	book, err := offlineBook(ctx, s)
	if err != nil {
		return err
	}
	r, err := book.VerifyChain(ctx, nil, nil)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	if !r.OK {
		return &exitError{code: 1, err: fmt.Errorf("refusing to sign a broken chain: decision %d: %s", r.FirstBrokenSeq, r.Reason)}
	}
	out, err := audit.EncodeCheckpoint(audit.SignCheckpoint(priv, r.Head.Seq, r.Head.Hash, time.Now()))
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s\n", out)
	return err
}

// backupCmd implements "backup --db FILE --out FILE": a consistent copy of
// a data file no service holds, or of a PostgreSQL database as a new bbolt
// file (pgBackup) (a running service's file is locked; back
// it up with GET /v1/admin/backup). The copy is written beside --out and
// renamed into place once complete; an existing --out is not overwritten.
func backupCmd(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlagSet("backup")
	db := fs.String("db", "", "data file to back up (opened read-only)")
	out := fs.String("out", "", "the backup file to write")
	if err := parseFlags(fs, args, stdout); err != nil {
		return helpIsOK(err)
	}
	if *out == "" {
		return usageError("--out FILE is required")
	}
	if _, err := os.Stat(*out); err == nil {
		return &exitError{code: 2, err: fmt.Errorf("%s exists; not overwriting it", *out)}
	}
	if dir := filepath.Dir(*out); !isDir(dir) {
		return &exitError{code: 2, err: fmt.Errorf("the directory %s of --out does not exist (or is not a directory); create it first", dir)}
	}
	if isPostgres(*db) {
		return pgBackup(ctx, *db, *out, stdout)
	}
	s, err := openReadOnly(*db)
	if err != nil {
		return err
	}
	defer s.Close()
	book, err := offlineBook(ctx, s)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(*out), ".tfpricing-backup-*")
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("cannot write in the directory %s: %w", filepath.Dir(*out), errors.Unwrap(err))}
	}
	defer os.Remove(f.Name())
	n, err := book.Backup(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), *out)
	}
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("backup: %w", err)}
	}
	fmt.Fprintf(stdout, "backed up %s to %s (%d bytes)\n", redactDB(*db), *out, n)
	return nil
}

// isDir reports whether path names an existing directory.
func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

const auditUsage = `usage: tfpricing audit verify|replay|checkpoint [flags]

Offline audit tools. They open the data file read-only: a backup (GET
/v1/admin/backup) or the file of a stopped service. Exit status 0 when all
is well, 1 when a check fails, 2 on usage or open errors.

  tfpricing audit verify --db FILE [--checkpoint CP.json]... [--public-key KEY]
  tfpricing audit replay --db FILE (--all | --id ID) [--verbose]
  tfpricing audit checkpoint --db FILE --key tfpricing-audit.key > cp.json

tfpricing audit SUBCOMMAND --help prints a subcommand's flags.
`
