package audit

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/canon"
)

// fillRandom sets every field of v (a pointer) reachable by reflection to
// a random value: strings from a list that holds the empty string (for
// omitempty) and every kind of character encoding/json escapes, slices
// nil, empty or short, pointers nil or set, integers of either sign.
func fillRandom(r *rand.Rand, v reflect.Value, depth int) {
	strs := []string{"", "a", "0.0000", "-12.50", "2027-03-10", `q"uote\back`, "tab\tnl\nctl\x01",
		"<&>", "湖州", "\u2028\u2029", "bad\xffutf8", "emoji😀"}
	if v.Type() == reflect.TypeFor[json.RawMessage]() { // canonical raw JSON, as records hold it
		raws := []string{"", "{}", `{"a":[1,"<&>\u2028"],"b":null}`, `{"event":"attestation","year":2026}`}
		if s := raws[r.IntN(len(raws))]; s != "" || r.IntN(2) == 0 {
			v.SetBytes([]byte(s))
		} else {
			v.SetZero()
		}
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(strs[r.IntN(len(strs))])
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 1)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt([]int64{0, 1, -1, 2027, 1 << 40}[r.IntN(5)])
	case reflect.Uint64, reflect.Uint, reflect.Uint32:
		v.SetUint([]uint64{0, 1, 1 << 40, 1<<64 - 1}[r.IntN(4)] & (1<<(v.Type().Bits()) - 1))
	case reflect.Struct:
		for i := range v.NumField() {
			fillRandom(r, v.Field(i), depth)
		}
	case reflect.Pointer:
		if depth > 3 || r.IntN(3) == 0 {
			v.SetZero()
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fillRandom(r, v.Elem(), depth+1)
	case reflect.Slice:
		switch n := r.IntN(4); {
		case n == 0 || depth > 3:
			v.SetZero() // nil: null
		default:
			v.Set(reflect.MakeSlice(v.Type(), n-1, n-1))
			for i := range n - 1 {
				fillRandom(r, v.Index(i), depth+1)
			}
		}
	default:
		panic("fillRandom: no rule for " + v.Type().String())
	}
}

// Every hand-written writer produces canon.Marshal's bytes for the same
// record, whatever its fields hold.
func TestAppendMatchesMarshal(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 4))
	check := func(name string, v any, got []byte) {
		t.Helper()
		want, err := canon.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
	for range 3000 {
		var q quoteOutputsRecord
		fillRandom(r, reflect.ValueOf(&q).Elem(), 0)
		check("quote outputs", q, q.appendJSON([]byte{}))
		var s scheduleRecord
		fillRandom(r, reflect.ValueOf(&s).Elem(), 0)
		check("schedule", s, s.appendJSON(nil))
		var a assessmentRecord
		fillRandom(r, reflect.ValueOf(&a).Elem(), 0)
		check("assessment", a, a.appendJSON(nil))
		var lo loanOutputsRecord
		fillRandom(r, reflect.ValueOf(&lo).Elem(), 0)
		check("loan outputs", lo, lo.appendJSON(nil))
		var qi quoteInputsRecord
		fillRandom(r, reflect.ValueOf(&qi).Elem(), 0)
		check("quote inputs", qi, qi.appendJSON(nil))
		var li loanInputsRecord
		fillRandom(r, reflect.ValueOf(&li).Elem(), 0)
		check("loan inputs", li, li.appendJSON(nil))
	}
	// Appending keeps what was there.
	var l lineRecord
	if got := l.appendJSON([]byte("x")); !bytes.HasPrefix(got, []byte(`x{"adjustment_bp":""`)) {
		t.Errorf("%s", got)
	}
}

// The stored outputs of a real quote are canonical and equal to
// canon.Marshal of the same record.
func TestQuoteOutputsEncodeCanonical(t *testing.T) {
	_, a, q := quoteParts(t)
	out, err := QuoteOutputs{Assessment: a, Quote: &q}.Encode()
	if err != nil {
		t.Fatal(err)
	}
	rec := quoteOutputsRecord{Assessment: newAssessmentRecord(a)}
	qr := newQuoteRecord(q)
	rec.Quote = &qr
	want, err := canon.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, want) {
		t.Fatal("outputs differ from canon.Marshal of the record")
	}
	if c, err := canon.Canonical(out); err != nil || !bytes.Equal(c, out) {
		t.Fatalf("outputs not canonical: %v", err)
	}
	// Not eligible: "quote":null.
	out, err = QuoteOutputs{Assessment: a}.Encode()
	if err != nil || !bytes.HasSuffix(out, []byte(`"quote":null}`)) {
		t.Fatalf("%v %s", err, out[len(out)-40:])
	}
}

// quoteParts prices decision_fixtures_test.go's quote plan.
func quoteParts(t testing.TB) (catalog.Plan, catalog.Assessment, pricing.Quote) {
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
	terms := quoteTerms()
	terms.KPIs[0].KPI = plan.KPIs[0]
	terms.Tier = a.Tier
	q, err := pricing.PriceQuote(terms, p, c, plan.AsOf)
	if err != nil || len(q.Current.Lines) == 0 {
		t.Fatal(err)
	}
	return plan, a, q
}

// BenchmarkQuoteDecision is the quote decision as the service makes it:
// inputs and outputs encoded, then sealed.
func BenchmarkQuoteDecision(b *testing.B) {
	plan, a, q := quoteParts(b)
	terms := quoteTerms()
	terms.KPIs[0].KPI = plan.KPIs[0]
	terms.Tier = a.Tier
	b.ReportAllocs()
	for b.Loop() {
		d, err := NewQuoteInputs(plan, terms, plan.AsOf).Decision(a, &q)
		if err != nil {
			b.Fatal(err)
		}
		d.Seq, d.QuoteID, d.Actor, d.RecordedAt, d.BusinessDate = 2, "Q-00000001", fixtureActor(tfpricing.RoleOfficer), fixtureTime, plan.AsOf
		if _, err := d.SealRecord(GenesisHash); err == nil {
			b.Fatal("sealed seq 2 after the genesis hash")
		}
		d.Seq = 1
		if _, err := d.SealRecord(GenesisHash); err != nil {
			b.Fatal(err)
		}
	}
}
