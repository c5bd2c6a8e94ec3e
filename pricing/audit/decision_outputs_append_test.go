package audit

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"tfpricing/pricing"
	"tfpricing/pricing/canon"
)

// outputsByRecord is how LoanOutputs.Encode wrote before it wrote the
// schedule straight from the domain: the whole loanOutputsRecord built,
// then written (its writer is held to canon.Marshal by
// TestAppendMatchesMarshal).
func outputsByRecord(o LoanOutputs) []byte {
	s := o.Schedule
	if o.Statuses != nil {
		s.Attestations = nil
	}
	rec := loanOutputsRecord{Changes: make([]rateChangeRecord, len(o.Changes)), Schedule: newScheduleRecord(s),
		Attestations: newStatusDigestRecord(o.Statuses)}
	if o.Statuses != nil {
		rec.Layout = loanOutputsLayout2
	}
	for i, c := range o.Changes {
		rec.Changes[i] = rateChangeRecord{Period: c.Period, Start: c.Start.String(), OldRate: rateString(c.OldRate),
			NewRate: rateString(c.NewRate)}
	}
	return rec.appendJSON(nil)
}

// LoanOutputs.Encode writes the record's bytes for random schedules, rate
// changes (nil, empty or a few) and status digests (none, or one with
// nil, empty or a few introduced statuses).
func TestLoanOutputsEncodeMatchesRecord(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 6))
	layouts := [2]int{}
	for i := range 3000 {
		o := LoanOutputs{Schedule: randSchedule(r)}
		if n := r.IntN(4); n > 0 {
			o.Changes = make([]RateChange, n-1)
			for j := range o.Changes {
				o.Changes[j] = RateChange{Period: r.IntN(40) - 1, Start: randDate(r), OldRate: randDecimal(r), NewRate: randDecimal(r)}
			}
		}
		if r.IntN(2) == 0 {
			d := &StatusDigest{Count: r.IntN(5), Digest: []string{"", "ab", "<&>"}[r.IntN(3)]}
			if n := r.IntN(3); n > 0 {
				d.Introduced = randSchedule(r).Attestations[:0]
				for range n - 1 {
					d.Introduced = append(d.Introduced, pricing.AttestationStatus{ID: "A-1", Seq: r.Uint64(), MetricID: "m\u2028",
						Year: 2026, AcceptedOn: randDate(r), Status: "late", Outcome: "met"})
				}
			}
			o.Statuses = d
		}
		got, err := o.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if want := outputsByRecord(o); !bytes.Equal(got, want) {
			t.Fatalf("outputs %d:\n got %s\nwant %s", i, got, want)
		}
		if o.Statuses != nil {
			layouts[1]++
		} else {
			layouts[0]++
		}
	}
	if layouts[0] == 0 || layouts[1] == 0 {
		t.Fatalf("layouts drawn: %v", layouts)
	}
	// A real attestation's outputs are canonical.
	d := attestationDecision(t, 1, GenesisHash)
	if c, err := canon.Canonical(d.Outputs); err != nil || !bytes.Equal(c, d.Outputs) {
		t.Fatalf("outputs not canonical: %v", err)
	}
}
