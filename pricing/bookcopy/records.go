package bookcopy

import (
	"tfpricing"
	"tfpricing/pricing/loanbook"
)

// copyLoans copies each loan with its lifecycle, attestations (in their
// arrival order) and schedule.
func copyLoans(src Source, dst Sink, c *Counts) error {
	for after := ""; ; {
		loans, more, err := src.Loans(after, page)
		if err != nil {
			return err
		}
		for _, l := range loans {
			if err := copyLoan(src, dst, c, l); err != nil {
				return err
			}
			after = l.ID
		}
		if !more {
			return nil
		}
	}
}

func copyLoan(src Source, dst Sink, c *Counts, l loanbook.Loan) error {
	if err := dst.PutLoan(l); err != nil {
		return err
	}
	c.Loans++
	if lc := l.Lifecycle; len(lc.Plans) > 0 || lc.Declassification != nil || lc.Opinion != nil {
		if err := dst.PutLifecycle(l.ID, lc); err != nil {
			return err
		}
		c.Lifecycles++
	}
	atts, err := src.Attestations(l.ID)
	if err != nil {
		return err
	}
	for _, a := range atts {
		if err := dst.PutAttestation(l.ID, a); err != nil {
			return err
		}
		c.Attestations++
	}
	s, err := src.Schedule(l.ID)
	switch {
	case tfpricing.ErrorCode(err) == tfpricing.ENOTFOUND:
		return nil
	case err != nil:
		return err
	}
	c.Schedules++
	return dst.PutSchedule(s)
}

func copyFixings(src Source, dst Sink, c *Counts) error {
	fixings, err := src.Fixings()
	if err != nil {
		return err
	}
	for _, f := range fixings {
		if err := dst.PutFixing(f); err != nil {
			return err
		}
		c.Fixings++
	}
	return nil
}

func copyIdempotency(src Source, dst Sink, c *Counts) error {
	keys, err := src.IdempotencyKeys()
	if err != nil {
		return err
	}
	for _, k := range keys {
		r, ok, err := src.Idempotency(k)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := dst.PutIdempotency(r); err != nil {
			return err
		}
		c.Idempotency++
	}
	return nil
}

func copyProposals(src Source, dst Sink, c *Counts) error {
	for after := ""; ; {
		ps, more, err := src.Proposals(loanbook.ProposalFilter{}, after, page)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if err := dst.PutProposal(p); err != nil {
				return err
			}
			c.Proposals++
			after = p.ID
		}
		if !more {
			return nil
		}
	}
}

func copyEmissions(src Source, dst Sink, c *Counts) error {
	usccs, err := src.EmissionsBorrowers()
	if err != nil {
		return err
	}
	for _, u := range usccs {
		es, err := src.Emissions(u)
		if err != nil {
			return err
		}
		for _, e := range es {
			if err := dst.PutEmissions(e); err != nil {
				return err
			}
			c.Emissions++
		}
	}
	return nil
}
