package storetest

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
)

// Sample values and comparisons by value.

// sampleLoan is the Appendix A loan as booked, with every optional part set.
func sampleLoan(id string) loanbook.Loan {
	score := 72
	down := dec("12.5")
	return loanbook.Loan{ID: id, ExternalRef: "HZ-2023-007", QuoteID: "Q-00000001",
		BookedAt: time.Date(2023, 6, 25, 1, 2, 3, 456789, time.UTC), BookedOn: day("2023-06-25"), AsOf: day("2023-06-25"),
		Borrower: catalog.Borrower{Name: "湖州某化纤有限公司", USCC: "91350100M000100Y43", IndustryCode: "C2822",
			JustTransitionScore: &score, NewCapacity: true},
		PathwayID: "C28-P01",
		Terms: pricing.Terms{Tier: catalog.Transitioning, CreditRating: "AA", ESGScore: 70, CarbonGrade: 3,
			KPIs: []pricing.KPI{{KPI: catalog.KPI{MetricID: "pet_fdy_energy", Name: "PET FDY energy", Unit: "kgce/t",
				Direction: catalog.LowerIsBetter, Baseline: catalog.Observation{Year: 2022, Value: dec("88")},
				Targets: []catalog.Observation{{Year: 2023, Value: dec("80")}, {Year: 2024, Value: dec("74.5")}}},
				StepDownBp: &down}},
			Facility: pricing.Facility{Amount: dec("50000000.00"), Currency: "CNY", StartDate: day("2023-07-01"),
				TenorMonths: 36, Repayment: pricing.EqualPrincipal, PaymentFrequency: 3,
				Subsidy: &pricing.Subsidy{RateBp: dec("100"), EndDate: day("2024-07-01")}}},
		Catalogue: catalog.Ref{ID: "huzhou-transition", Version: "2.0", Digest: "sha256:57"},
		Policy:    pricing.PolicyRef{Version: "2026.1", Digest: "sha256:53"},
		Request:   []byte(`{"pathway_id":"C28-P01"}`)}
}

// sameLoan compares loans by value (decimals by Equal, whatever their
// scale) and names the first difference.
func sameLoan(a, b loanbook.Loan) string {
	switch {
	case a.ID != b.ID || a.ExternalRef != b.ExternalRef || a.QuoteID != b.QuoteID || !a.BookedAt.Equal(b.BookedAt) ||
		a.BookedOn != b.BookedOn || a.AsOf != b.AsOf || a.PathwayID != b.PathwayID || a.Catalogue != b.Catalogue ||
		a.Policy != b.Policy || string(a.Request) != string(b.Request):
		return "header"
	case a.Borrower.Name != b.Borrower.Name || a.Borrower.USCC != b.Borrower.USCC || a.Borrower.IndustryCode != b.Borrower.IndustryCode ||
		a.Borrower.ObsoleteCapacity != b.Borrower.ObsoleteCapacity || a.Borrower.NewCapacity != b.Borrower.NewCapacity ||
		fmt.Sprint(deref(a.Borrower.JustTransitionScore)) != fmt.Sprint(deref(b.Borrower.JustTransitionScore)):
		return "borrower"
	}
	ta, tb := a.Terms, b.Terms
	fa, fb := ta.Facility, tb.Facility
	switch {
	case ta.Tier != tb.Tier || ta.CreditRating != tb.CreditRating || ta.ESGScore != tb.ESGScore || ta.CarbonGrade != tb.CarbonGrade ||
		len(ta.KPIs) != len(tb.KPIs):
		return "terms"
	case !fa.Amount.Equal(fb.Amount) || fa.Currency != fb.Currency || fa.StartDate != fb.StartDate || fa.TenorMonths != fb.TenorMonths ||
		fa.Repayment != fb.Repayment || fa.PaymentFrequency != fb.PaymentFrequency || (fa.Subsidy == nil) != (fb.Subsidy == nil) ||
		fa.Subsidy != nil && (!fa.Subsidy.RateBp.Equal(fb.Subsidy.RateBp) || fa.Subsidy.EndDate != fb.Subsidy.EndDate):
		return "facility"
	}
	for i := range ta.KPIs {
		ka, kb := ta.KPIs[i], tb.KPIs[i]
		if ka.MetricID != kb.MetricID || ka.Name != kb.Name || ka.Unit != kb.Unit || ka.Direction != kb.Direction || ka.Custom != kb.Custom ||
			!sameObs(ka.Baseline, kb.Baseline) || len(ka.Targets) != len(kb.Targets) ||
			!sameDec(ka.StepDownBp, kb.StepDownBp) || !sameDec(ka.StepUpBp, kb.StepUpBp) {
			return fmt.Sprintf("kpi %d", i)
		}
		for j := range ka.Targets {
			if !sameObs(ka.Targets[j], kb.Targets[j]) {
				return fmt.Sprintf("kpi %d target %d", i, j)
			}
		}
	}
	return ""
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func sameObs(a, b catalog.Observation) bool { return a.Year == b.Year && a.Value.Equal(b.Value) }

func sameDec(a, b *decimal.Decimal) bool {
	return (a == nil) == (b == nil) && (a == nil || a.Equal(*b))
}
