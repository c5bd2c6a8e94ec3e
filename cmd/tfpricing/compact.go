package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"tfpricing/pricing/boltstore"
)

// compactCmd implements "compact --from FILE --to NEW": bbolt's own
// compaction of a data file no service holds into a new file (with the
// records an older file holds uncompressed stored compressed), whose
// consistency and decision chain are then checked the way "audit verify"
// checks them; the chain must end at the source's head. The source is
// never modified and an existing --to is never overwritten.
func compactCmd(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlagSet("compact")
	from := fs.String("from", "", "data file to compact (opened read-only; no service may hold it)")
	to := fs.String("to", "", "the compacted file to write (must not exist)")
	if err := parseFlags(fs, args, stdout); err != nil {
		return helpIsOK(err)
	}
	if *from == "" || *to == "" {
		return usageErrorFor(fs, "--from FILE and --to NEW are both required")
	}
	if _, err := os.Stat(*to); err == nil {
		return &exitError{code: 2, err: fmt.Errorf("%s exists; not overwriting it", *to)}
	}
	if dir := filepath.Dir(*to); !isDir(dir) {
		return &exitError{code: 2, err: fmt.Errorf("the directory %s of --to does not exist (or is not a directory); create it first", dir)}
	}
	src, err := openReadOnly(*from)
	if err != nil {
		return err
	}
	srcBook, err := offlineBook(ctx, src)
	if err != nil {
		src.Close()
		return err
	}
	head, err := srcBook.ChainHead(ctx)
	src.Close()
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("reading the chain head of %s: %w", *from, err)}
	}

	t0 := time.Now()
	before, after, err := boltstore.Compact(*from, *to, time.Second)
	if err != nil {
		code := 2
		if errors.Is(err, boltstore.ErrCorrupt) {
			code = 1
		}
		return &exitError{code: code, err: fmt.Errorf("compact: %w", err)}
	}
	took := time.Since(t0)

	dst, err := openReadOnly(*to)
	if err != nil {
		return err
	}
	defer dst.Close()
	if err := dst.Check(); err != nil {
		return &exitError{code: 1, err: fmt.Errorf("the compacted file %s failed its consistency check: %w", *to, err)}
	}
	r, err := verifiedChain(ctx, dst, *to)
	if err != nil {
		return err
	}
	if r.Head != head {
		return &exitError{code: 1, err: fmt.Errorf("the compacted chain ends at decision %d %s, the source's at %d %s", r.Head.Seq, r.Head.Hash, head.Seq, head.Hash)}
	}
	fmt.Fprintf(stdout, "compacted %s (%d bytes) to %s (%d bytes, %.1f%%) in %v\n",
		*from, before, *to, after, 100*float64(after)/float64(max(before, 1)), took.Round(time.Millisecond))
	fmt.Fprintf(stdout, "verified %d decisions, head %d %s: OK\n", r.Checked, r.Head.Seq, r.Head.Hash)
	return nil
}
