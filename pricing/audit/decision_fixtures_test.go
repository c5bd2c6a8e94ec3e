package audit

import (
	"encoding/json"
	"testing"
	"time"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
)

// Fixtures shared by the record, decision, chain and replay tests: the
// shipped catalogue, policy and LPR history, DESIGN.md §7's quote and the
// Appendix A loan, built with the real engine.

func shippedCatalogue(t testing.TB) *catalog.Catalogue {
	t.Helper()
	for _, c := range shipped(t).Catalogues.Versions() {
		if c.ID == "huzhou-transition" && c.Version == "2.0" {
			return c
		}
	}
	t.Fatal("catalogue huzhou-transition 2.0 is not shipped")
	return nil
}

// memDocs is a content-addressed document store in memory; it is only
// looked up, never ranged over.
type memDocs map[string][]byte

func (m memDocs) Document(kind DocKind, digest string) ([]byte, error) {
	if b, ok := m[string(kind)+" "+digest]; ok {
		return b, nil
	}
	return nil, tfpricing.Errorf(tfpricing.ENOTFOUND, "no %s %s", kind, digest)
}

func shippedDocs(t testing.TB) memDocs {
	c, p := shippedCatalogue(t), shippedPolicy(t)
	return memDocs{string(DocCatalogue) + " " + c.Digest: c.Canonical, string(DocPolicy) + " " + p.Digest: p.Canonical}
}

// quotePlan is DESIGN.md §7's eligibility body with the quote's SPTs:
// C2822 under C28-P01, pet_fdy_energy from 88 (2025) to 82, 76, 70.
func quotePlan() catalog.Plan {
	score := 72
	return catalog.Plan{
		Borrower: catalog.Borrower{Name: "湖州示例化纤有限公司", USCC: "91350100M000100Y43", IndustryCode: "C2822",
			JustTransitionScore: &score},
		PathwayID: "C28-P01",
		KPIs: []catalog.KPI{{MetricID: "pet_fdy_energy", Baseline: catalog.Observation{Year: 2025, Value: dec("88")},
			Targets: []catalog.Observation{{Year: 2026, Value: dec("82")}, {Year: 2027, Value: dec("76")},
				{Year: 2028, Value: dec("70")}}}},
		AsOf: day("2026-11-27"),
	}
}

var fixtureTime = time.Date(2026, 11, 27, 1, 2, 3, 456000000, time.UTC)

func fixtureActor(role tfpricing.Role) tfpricing.Actor {
	return tfpricing.Actor{KeyID: "tfp-dev-" + string(role), Role: role, RequestID: "req-0001"}
}

// quoteDecision prices the §7 quote as the service does (resolve the KPIs,
// assess, price with the assessment's tier) and returns its decision,
// sealed as record seq after prev.
func quoteDecision(t testing.TB, seq uint64, prev string) Decision {
	t.Helper()
	cat, p, c := shippedCatalogue(t), shippedPolicy(t), shippedCurve(t)
	plan := quotePlan()
	ind, _ := cat.IndustryFor(plan.Borrower.IndustryCode)
	kpis, err := cat.ResolveKPIs(ind, plan.KPIs)
	if err != nil {
		t.Fatal(err)
	}
	plan.KPIs = kpis
	a := cat.Assess(plan)
	if !a.Eligible || a.Tier != catalog.Transitioning {
		t.Fatalf("fixture assessment %v %s, want eligible transitioning: %+v", a.Eligible, a.Tier, a.Checks)
	}
	terms := quoteTerms()
	terms.KPIs[0].KPI = plan.KPIs[0]
	terms.Tier = a.Tier
	q, err := pricing.PriceQuote(terms, p, c, plan.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewQuoteInputs(plan, terms, plan.AsOf).Decision(a, &q)
	if err != nil {
		t.Fatal(err)
	}
	d.Seq, d.QuoteID, d.Actor, d.RecordedAt, d.BusinessDate = seq, "Q-00000001", fixtureActor(tfpricing.RoleOfficer),
		fixtureTime, plan.AsOf
	if err := d.Seal(prev); err != nil {
		t.Fatal(err)
	}
	return d
}

// attestationDecision is the Appendix A loan's decision on its 2024
// attestation (76, missed) accepted on 2025-03-01: the schedule before it
// is the one as of the day before, with the 2023 attestation only.
func attestationDecision(t testing.TB, seq uint64, prev string) Decision {
	t.Helper()
	p, c := shippedPolicy(t), shippedCurve(t)
	atts := appendixAttestations()
	before, err := pricing.Compute(pricing.Input{Terms: appendixTerms(), Policy: p, Curve: c, Attestations: atts[:1], AsOf: day("2025-02-28")})
	if err != nil {
		t.Fatal(err)
	}
	asOf := day("2025-03-01")
	after, err := pricing.Compute(pricing.Input{Terms: appendixTerms(), Policy: p, Curve: c, Attestations: atts, AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	event, err := EncodeAttestation(atts[1])
	if err != nil {
		t.Fatal(err)
	}
	in, err := NewLoanInputs("L-00000001", appendixTerms(), atts, asOf, json.RawMessage(event), before)
	if err != nil {
		t.Fatal(err)
	}
	d, err := in.Decision(DecisionAttestation, after, p.Ref(), shippedCatalogue(t).Ref())
	if err != nil {
		t.Fatal(err)
	}
	d.Seq, d.Actor, d.RecordedAt, d.BusinessDate = seq, fixtureActor(tfpricing.RoleVerifier), fixtureTime, asOf
	if err := d.Seal(prev); err != nil {
		t.Fatal(err)
	}
	return d
}

// policyLoad is a cheap decision for building long chains.
func policyLoad(t testing.TB, p *pricing.Policy, seq uint64, prev string) Decision {
	t.Helper()
	d, err := PolicyLoadDecision(p)
	if err != nil {
		t.Fatal(err)
	}
	d.Seq, d.Actor = seq, tfpricing.Actor{KeyID: "system", Role: tfpricing.RoleAdmin, RequestID: "startup"}
	d.RecordedAt, d.BusinessDate, d.AsOf = fixtureTime.Add(time.Duration(seq)*time.Second), day("2026-11-27"), day("2026-11-27")
	if err := d.Seal(prev); err != nil {
		t.Fatal(err)
	}
	return d
}

// chainOf builds a valid chain of n records: a quote, an attestation, then
// policy loads.
func chainOf(t testing.TB, n int) []Decision {
	t.Helper()
	p := shippedPolicy(t)
	out := make([]Decision, 0, n)
	prev := GenesisHash
	for i := 1; i <= n; i++ {
		var d Decision
		switch i {
		case 1:
			d = quoteDecision(t, 1, prev)
		case 2:
			d = attestationDecision(t, 2, prev)
		default:
			d = policyLoad(t, p, uint64(i), prev)
		}
		out = append(out, d)
		prev = d.Hash
	}
	return out
}

// reseal recomputes a record's hash over prev, as someone rewriting history
// would.
func reseal(t testing.TB, d Decision, prev string) Decision {
	t.Helper()
	if err := d.Seal(prev); err != nil {
		t.Fatal(err)
	}
	return d
}

// attestationChain seals n copies of the attestation decision into a chain
// (sequences 1..n): the common record, for verification tests and
// benchmarks.
func attestationChain(tb testing.TB, n int) []Decision {
	tb.Helper()
	tmpl := attestationDecision(tb, 1, GenesisHash)
	chain := make([]Decision, n)
	prev := GenesisHash
	for i := range chain {
		d := tmpl
		d.Seq = uint64(i + 1)
		if err := d.Seal(prev); err != nil {
			tb.Fatal(err)
		}
		chain[i], prev = d, d.Hash
	}
	return chain
}

// storedChain is attestationChain as stored (each record's canonical
// bytes), with the hash of its last record.
func storedChain(tb testing.TB, n int) (stored [][]byte, head string) {
	tb.Helper()
	chain := attestationChain(tb, n)
	stored = make([][]byte, n)
	for i, d := range chain {
		stored[i] = d.CanonicalBytes()
	}
	return stored, chain[n-1].Hash
}
