package loanbook

import (
	"testing"

	"tfpricing"
	"tfpricing/pricing"
)

// An accredited body is accepted from valid_from to valid_to inclusive and
// refused a day outside, naming the field; an unlisted body is refused by
// name; no list restricts nothing.
func TestAccreditedVerifiers(t *testing.T) {
	d := tfpricing.MustParseDate
	s := &Service{cfg: Config{Verifiers: []Verifier{{Name: "浙江某认证有限公司", Accreditation: "CNAS C001-M",
		ValidFrom: d("2027-01-01"), ValidTo: d("2028-02-29")}}}}
	att := func(on, name, acc string) pricing.Attestation {
		return pricing.Attestation{AcceptedOn: d(on), VerifierName: name, VerifierAccreditation: acc}
	}
	for _, c := range []struct {
		a     pricing.Attestation
		field string
	}{
		{att("2027-01-01", "浙江某认证有限公司", "CNAS C001-M"), ""},
		{att("2028-02-29", "浙江某认证有限公司", "CNAS C001-M"), ""},
		{att("2026-12-31", "浙江某认证有限公司", "CNAS C001-M"), "verifier.accreditation"},
		{att("2028-03-01", "浙江某认证有限公司", "CNAS C001-M"), "verifier.accreditation"},
		{att("2027-06-01", "浙江某认证有限公司", "CNAS C999-M"), "verifier.accreditation"},
		{att("2027-06-01", "某未认可机构", "CNAS C001-M"), "verifier.name"},
	} {
		err := s.checkVerifier(c.a)
		e, _ := err.(*tfpricing.Error)
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%s on %s: %v", c.a.VerifierName, c.a.AcceptedOn, err)
		case c.field != "" && (e == nil || e.Code != tfpricing.EUNPROCESSABLE || e.Fields[0].Field != c.field):
			t.Errorf("%s %s on %s: %v, want 422 naming %s", c.a.VerifierName, c.a.VerifierAccreditation, c.a.AcceptedOn, err, c.field)
		}
	}
	if err := (&Service{}).checkVerifier(att("2020-01-01", "anyone", "")); err != nil {
		t.Errorf("no list: %v", err)
	}
}
