package pricing

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing/catalog"
)

// sameDec reports whether a and b are the same decimal: value and exponent.
func sameDec(a, b decimal.Decimal) bool {
	return a.Exponent() == b.Exponent() && a.Equal(b)
}

// ratchetInt gives ratchetDec's K — value and exponent — on random steps,
// outcomes and bounds, with the clamp binding on either side or not, at
// the clamp's exact boundaries, and with K repeating (its memo) or not.
func TestRatchetIntMatchesDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 12))
	ints, low, high, edges := 0, 0, 0, 0
	e := &engine{} // one engine throughout: its K memo sees every case
	for i := range 20000 {
		n := 1 + r.IntN(3)
		l := &ledger{}
		picks := make([]pick, n)
		down, up := make([]decimal.Decimal, n), make([]decimal.Decimal, n)
		for j := range n {
			down[j], up[j] = randBp(r), randBp(r)
			o := Met
			if r.IntN(2) == 0 {
				o = Missed
			}
			l.spts = append(l.spts, spt{dets: []determination{{outcome: o}}})
			picks[j] = pick{spt: j, det: 0, ok: r.IntN(5) > 0}
		}
		p := &Policy{Ratchet: Ratchet{MaxStepDownBp: randBp(r).Abs(), MaxStepUpBp: randBp(r).Abs()}}
		switch i % 11 { // bounds no policy parses, which clamp even a zero sum
		case 1:
			p.Ratchet.MaxStepDownBp = p.Ratchet.MaxStepDownBp.Neg()
		case 2:
			p.Ratchet.MaxStepUpBp = p.Ratchet.MaxStepUpBp.Neg()
		}
		e.policy = p
		want := e.ratchetDec(l, picks, down, up)
		if i%3 == 0 {
			// The unclamped sum as a bound, written with one more
			// decimal: the clamp's boundary, where neither side binds
			// (< and >, not ≤ and ≥), and K keeps the sum's exponent.
			bound := decimal.New(0, want.Exponent()-1).Add(want)
			if want.Sign() < 0 {
				p.Ratchet.MaxStepDownBp = bound.Neg()
			} else {
				p.Ratchet.MaxStepUpBp = bound
			}
			want = e.ratchetDec(l, picks, down, up)
			edges++
		}
		for range 2 { // the second time K is the memo's
			got, ok := e.ratchetInt(l, picks, down, up)
			if !ok {
				break
			}
			ints++
			if !sameDec(got, want) {
				t.Fatalf("case %d: ratchetInt %s (exp %d), decimal %s (exp %d); picks %v down %v up %v ratchet %+v",
					i, got, got.Exponent(), want, want.Exponent(), picks, down, up, p.Ratchet)
			}
		}
		switch {
		case sameDec(want, p.Ratchet.MaxStepUpBp) && want.Sign() != 0:
			high++
		case want.Equal(p.Ratchet.MaxStepDownBp.Neg()) && want.Sign() != 0:
			low++
		}
	}
	if ints < 15000 || low < 1000 || high < 1000 || edges < 5000 {
		t.Fatalf("too few cases: %d in integers, %d clamped low, %d high, %d at the boundary", ints, low, high, edges)
	}
}

// cmpDecimal is Cmp on random pairs, on equal values written with other
// exponents (its boundary: 0, not ±1), one unit apart at the smaller
// exponent, and past int64; atOrBetter is AtOrBetter on them.
func TestCmpDecimalMatchesCmp(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 14))
	equal, apart := 0, 0
	for i := range 20000 {
		a, b := randBp(r), randBp(r)
		switch i % 3 {
		case 0: // the same value with more decimals
			b = decimal.New(0, a.Exponent()-int32(r.IntN(4))).Add(a)
			equal++
		case 1: // one unit of the smaller exponent apart, either way
			b = a.Add(decimal.New(int64(2*r.IntN(2)-1), a.Exponent()-int32(r.IntN(3))))
			apart++
		}
		if got, want := cmpDecimal(a, b), a.Cmp(b); got != want {
			t.Fatalf("cmpDecimal(%s, %s) = %d, Cmp %d", a, b, got, want)
		}
		for _, d := range []catalog.Direction{catalog.LowerIsBetter, catalog.HigherIsBetter} {
			if atOrBetter(d, a, b) != d.AtOrBetter(a, b) {
				t.Fatalf("atOrBetter(%s, %s, %s) = %v", d, a, b, !d.AtOrBetter(a, b))
			}
		}
	}
	if equal < 5000 || apart < 5000 {
		t.Fatalf("too few boundary cases: %d equal, %d apart", equal, apart)
	}
}
