package loanbook

import (
	"strings"

	"tfpricing"
	"tfpricing/pricing"
)

// Verifier is an accredited verification body (issue 16): its name, its
// accreditation number and the dates its accreditation covers (ValidTo
// zero: open-ended). Loaded like the other reference data.
type Verifier struct {
	Name          string
	Accreditation string
	ValidFrom     tfpricing.Date
	ValidTo       tfpricing.Date
}

// Covers reports whether v is accredited on d: ValidFrom ≤ d ≤ ValidTo.
func (v Verifier) Covers(d tfpricing.Date) bool {
	return !d.Before(v.ValidFrom) && (v.ValidTo.IsZero() || !d.After(v.ValidTo))
}

// checkVerifier refuses an attestation by a body not accredited on its
// accepted_on, when a list is configured (422 naming the field).
func (s *Service) checkVerifier(a pricing.Attestation) error {
	if len(s.cfg.Verifiers) == 0 {
		return nil
	}
	named := false
	for _, v := range s.cfg.Verifiers {
		if !strings.EqualFold(v.Name, a.VerifierName) {
			continue
		}
		named = true
		if (a.VerifierAccreditation == "" || v.Accreditation == a.VerifierAccreditation) && v.Covers(a.AcceptedOn) {
			return nil
		}
	}
	if !named {
		return refuse("verifier.name", "not_accredited", "%q is not on the list of accredited verification bodies", a.VerifierName)
	}
	return refuse("verifier.accreditation", "not_accredited",
		"%s is not accredited under %q on %s", a.VerifierName, a.VerifierAccreditation, a.AcceptedOn)
}
