package audit

import (
	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/canon"
)

// breakdownRecord is a quote's first-period Breakdown.
type breakdownRecord struct {
	AllInRate           string `json:"all_in_rate"`
	BenchmarkDate       string `json:"benchmark_date,omitempty"`
	BenchmarkName       string `json:"benchmark_name"`
	BenchmarkRate       string `json:"benchmark_rate"`
	CapApplied          bool   `json:"cap_applied"`
	CarbonAdjustmentBp  string `json:"carbon_adjustment_bp"`
	CreditSpreadBp      string `json:"credit_spread_bp"`
	ESGAdjustmentBp     string `json:"esg_adjustment_bp"`
	FloorApplied        bool   `json:"floor_applied"`
	RatchetAdjustmentBp string `json:"ratchet_adjustment_bp"`
	TierAdjustmentBp    string `json:"tier_adjustment_bp"`
	TotalAdjustmentBp   string `json:"total_adjustment_bp"`
}

// quoteRecord is a Quote with its three projections.
type quoteRecord struct {
	AllMet    scheduleRecord  `json:"all_met"`
	AsOf      string          `json:"as_of,omitempty"`
	Breakdown breakdownRecord `json:"breakdown"`
	Current   scheduleRecord  `json:"current"`
	NoneMet   scheduleRecord  `json:"none_met"`
	Policy    policyRefRecord `json:"policy"`
	Savings   string          `json:"savings"`
	docVersion
	ValidUntil string `json:"valid_until,omitempty"`
}

type checkRecord struct {
	MessageEn string `json:"message_en"`
	MessageZh string `json:"message_zh"`
	Rule      string `json:"rule"`
	Status    string `json:"status"`
}

// assessmentRecord is a catalog.Assessment. The industry and pathway are
// kept by code and id: the catalogue, stored by digest, holds the rest.
type assessmentRecord struct {
	Catalogue    catalogueRefRecord `json:"catalogue"`
	Checks       []checkRecord      `json:"checks"`
	CoreKPI      string             `json:"core_kpi,omitempty"`
	Eligible     bool               `json:"eligible"`
	IndustryCode string             `json:"industry_code,omitempty"`
	PathwayID    string             `json:"pathway_id,omitempty"`
	Tier         string             `json:"tier"`
	docVersion
}

func newQuoteRecord(q pricing.Quote) quoteRecord {
	return quoteRecord{AsOf: q.AsOf.String(), Policy: newPolicyRefRecord(q.Policy),
		Breakdown: newBreakdownRecord(q.Breakdown),
		Current:   newScheduleRecord(q.Current), AllMet: newScheduleRecord(q.AllMet),
		NoneMet: newScheduleRecord(q.NoneMet), Savings: amountString(q.Savings), ValidUntil: q.ValidUntil.String()}
}

func newBreakdownRecord(b pricing.Breakdown) breakdownRecord {
	return breakdownRecord{BenchmarkName: b.BenchmarkName, BenchmarkDate: b.BenchmarkDate.String(),
		BenchmarkRate: rateString(b.BenchmarkRate), CreditSpreadBp: pricing.NormalString(b.CreditSpreadBp),
		TierAdjustmentBp: pricing.NormalString(b.TierAdjustmentBp), ESGAdjustmentBp: pricing.NormalString(b.ESGAdjustmentBp),
		CarbonAdjustmentBp: pricing.NormalString(b.CarbonAdjustmentBp), RatchetAdjustmentBp: pricing.NormalString(b.RatchetAdjustmentBp),
		TotalAdjustmentBp: pricing.NormalString(b.TotalAdjustmentBp), FloorApplied: b.FloorApplied, CapApplied: b.CapApplied,
		AllInRate: rateString(b.AllInRate)}
}

func (rec quoteRecord) quote(r *recReader, prefix string) pricing.Quote {
	b := rec.Breakdown
	bp := func(field string) string { return prefixed(prefix, "breakdown."+field) }
	return pricing.Quote{AsOf: r.date(prefixed(prefix, "as_of"), rec.AsOf), Policy: rec.Policy.ref(),
		Breakdown: pricing.Breakdown{BenchmarkName: b.BenchmarkName, BenchmarkDate: r.date(bp("benchmark_date"), b.BenchmarkDate),
			BenchmarkRate:       r.decimal(bp("benchmark_rate"), b.BenchmarkRate),
			CreditSpreadBp:      r.decimal(bp("credit_spread_bp"), b.CreditSpreadBp),
			TierAdjustmentBp:    r.decimal(bp("tier_adjustment_bp"), b.TierAdjustmentBp),
			ESGAdjustmentBp:     r.decimal(bp("esg_adjustment_bp"), b.ESGAdjustmentBp),
			CarbonAdjustmentBp:  r.decimal(bp("carbon_adjustment_bp"), b.CarbonAdjustmentBp),
			RatchetAdjustmentBp: r.decimal(bp("ratchet_adjustment_bp"), b.RatchetAdjustmentBp),
			TotalAdjustmentBp:   r.decimal(bp("total_adjustment_bp"), b.TotalAdjustmentBp),
			FloorApplied:        b.FloorApplied, CapApplied: b.CapApplied,
			AllInRate: r.decimal(bp("all_in_rate"), b.AllInRate)},
		Current: rec.Current.schedule(r, prefixed(prefix, "current")),
		AllMet:  rec.AllMet.schedule(r, prefixed(prefix, "all_met")),
		NoneMet: rec.NoneMet.schedule(r, prefixed(prefix, "none_met")),
		Savings: r.decimal(prefixed(prefix, "savings"), rec.Savings), ValidUntil: r.date(prefixed(prefix, "valid_until"), rec.ValidUntil)}
}

func newAssessmentRecord(a catalog.Assessment) assessmentRecord {
	rec := assessmentRecord{Eligible: a.Eligible, Tier: string(a.Tier), CoreKPI: a.CoreKPI,
		Catalogue: newCatalogueRefRecord(a.Catalogue), Checks: make([]checkRecord, len(a.Checks))}
	if a.Industry != nil {
		rec.IndustryCode = a.Industry.Code
	}
	if a.Pathway != nil {
		rec.PathwayID = a.Pathway.ID
	}
	for i, c := range a.Checks {
		rec.Checks[i] = checkRecord{Rule: c.Rule, Status: string(c.Status), MessageZh: c.MessageZh, MessageEn: c.MessageEn}
	}
	return rec
}

// assessment rebuilds the assessment, resolving the industry and pathway in
// cat, which must be the catalogue the record names.
func (rec assessmentRecord) assessment(r *recReader, prefix string, cat *catalog.Catalogue) catalog.Assessment {
	a := catalog.Assessment{Eligible: rec.Eligible, Tier: catalog.Tier(rec.Tier), CoreKPI: rec.CoreKPI,
		Catalogue: rec.Catalogue.ref(), Checks: make([]catalog.Check, len(rec.Checks))}
	for i, c := range rec.Checks {
		a.Checks[i] = catalog.Check{Rule: c.Rule, Status: catalog.Status(c.Status), MessageZh: c.MessageZh, MessageEn: c.MessageEn}
	}
	if rec.IndustryCode == "" && rec.PathwayID == "" {
		return a
	}
	if cat == nil || cat.Digest != rec.Catalogue.Digest {
		r.fail(prefixed(prefix, "catalogue.digest"), "catalogue",
			"names catalogue %s, which is needed to resolve the industry and pathway", rec.Catalogue.Digest)
		return a
	}
	if rec.IndustryCode != "" {
		if a.Industry, _ = cat.IndustryByCode(rec.IndustryCode); a.Industry == nil {
			r.fail(prefixed(prefix, "industry_code"), "unknown", "%q is not an industry of the catalogue", rec.IndustryCode)
		}
	}
	if rec.PathwayID != "" {
		if a.Pathway, _ = a.Industry.Pathway(rec.PathwayID); a.Pathway == nil {
			r.fail(prefixed(prefix, "pathway_id"), "unknown", "%q is not a pathway of the industry", rec.PathwayID)
		}
	}
	return a
}

// EncodeQuote returns the stored record of a quote.
func EncodeQuote(q pricing.Quote) ([]byte, error) {
	rec := newQuoteRecord(q)
	rec.V = recordVersion
	return canon.Marshal(rec)
}

// DecodeQuote decodes a record written by EncodeQuote, strictly.
func DecodeQuote(data []byte) (pricing.Quote, error) {
	return decodeDoc("quote", data, func(rec quoteRecord, r *recReader) pricing.Quote { return rec.quote(r, "") }, EncodeQuote)
}

// EncodeAssessment returns the stored record of an eligibility assessment.
func EncodeAssessment(a catalog.Assessment) ([]byte, error) {
	rec := newAssessmentRecord(a)
	rec.V = recordVersion
	return canon.Marshal(rec)
}

// DecodeAssessment decodes a record written by EncodeAssessment, strictly.
// cat is the catalogue the record names (by digest); its industry and
// pathway are resolved in it. cat may be nil only for an assessment that
// matched no industry.
func DecodeAssessment(data []byte, cat *catalog.Catalogue) (catalog.Assessment, error) {
	return decodeDoc("assessment", data, func(rec assessmentRecord, r *recReader) catalog.Assessment {
		return rec.assessment(r, "", cat)
	}, EncodeAssessment)
}
