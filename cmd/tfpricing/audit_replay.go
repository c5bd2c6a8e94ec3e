package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"tfpricing"
	"tfpricing/pricing/audit"
)

// replayTally counts the outcomes of a replay run.
type replayTally struct {
	match, differ, failed, simulations int
}

// auditReplay implements "audit replay --db FILE (--all | --id ID)": each
// decision recomputed from what it recorded, as POST
// /v1/decisions/{id}/replay does, every difference printed, and a summary
// line. Simulations are counted apart: they are recorded, not replayable.
func auditReplay(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlagSet("audit replay")
	db := fs.String("db", "", "data file (opened read-only)")
	all := fs.Bool("all", false, "replay every decision")
	id := fs.String("id", "", "replay the decision with this id (sequence number)")
	verbose := fs.Bool("verbose", false, "print every decision, not only those that differ")
	if err := parseFlags(fs, args, stdout); err != nil {
		return helpIsOK(err)
	}
	var only uint64
	switch {
	case *all == (*id != ""):
		return usageError("audit replay needs exactly one of --all and --id ID")
	case *id != "":
		n, err := strconv.ParseUint(*id, 10, 64)
		if err != nil || n == 0 {
			return usageError("--id must be a decision id (its sequence number, 1 or more)")
		}
		only = n
	}
	s, err := openReadOnly(*db)
	if err != nil {
		return err
	}
	defer s.Close()
	var t replayTally
	show := func(seq uint64, res *audit.ReplayResult, kind audit.DecisionKind, err error) {
		t.print(stdout, seq, res, kind, err, *verbose || only != 0)
	}
	book, err := offlineBook(ctx, s)
	if err != nil {
		return err
	}
	if only != 0 {
		missing := false
		err = book.ReplayRange(ctx, only, only, func(seq uint64, res *audit.ReplayResult, kind audit.DecisionKind, err error) {
			if missing = tfpricing.ErrorCode(err) == tfpricing.ENOTFOUND && res == nil; !missing {
				show(seq, res, kind, err)
			}
		})
		if err == nil && missing {
			err = fmt.Errorf("%s holds no decision %d", *db, only)
		}
	} else {
		var head audit.ChainHead
		if head, err = book.ChainHead(ctx); err == nil {
			err = book.ReplayRange(ctx, 1, head.Seq, show)
		}
	}
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	total := t.match + t.differ + t.failed
	line := fmt.Sprintf("replayed %d decisions: %d match, %d differ", total, t.match, t.differ+t.failed)
	if t.simulations > 0 {
		line += fmt.Sprintf(", %d simulations not replayable", t.simulations)
	}
	fmt.Fprintln(stdout, line)
	if t.differ+t.failed > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%d of %d decisions do not replay to what they recorded", t.differ+t.failed, total)}
	}
	return nil
}

// print reports one decision's replay and counts it.
func (t *replayTally) print(w io.Writer, seq uint64, res *audit.ReplayResult, kind audit.DecisionKind, err error, all bool) {
	switch {
	case kind == audit.DecisionSimulation:
		t.simulations++
		if all {
			fmt.Fprintf(w, "decision %d (simulation): recorded, not replayable\n", seq)
		}
	case err != nil:
		t.failed++
		fmt.Fprintf(w, "decision %d: cannot be replayed: %s\n", seq, tfpricing.ErrorMessage(err))
		if te, ok := err.(*tfpricing.Error); ok {
			for _, f := range te.Fields {
				fmt.Fprintf(w, "  %s: %s\n", f.Field, f.Message)
			}
		}
	case res.Match:
		t.match++
		if all {
			fmt.Fprintf(w, "decision %d (%s): match %s\n", seq, kind, res.ReplayedDigest)
		}
	default:
		t.differ++
		fmt.Fprintf(w, "decision %d (%s): DIFFERS, recorded %s, replayed %s\n", seq, kind, res.RecordedDigest, res.ReplayedDigest)
		for _, d := range res.Differences {
			fmt.Fprintf(w, "  %s: recorded %s, replayed %s\n", d.Path, orNone(d.Recorded), orNone(d.Replayed))
		}
	}
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
