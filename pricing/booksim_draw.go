package pricing

import (
	"math"
	"math/rand/v2"

	"github.com/shopspring/decimal"
)

// The Gaussian copula's draws: the one place besides simulate_mc.go where
// the pricing package uses floating point (TestDeterminismGuard allows this
// file). Floats decide only whether an SPT is met; no amount, rate or bp
// passes through them.

// bookFactors are the industry factors F, run-major: [run*industries + i].
type bookFactors []float64

// drawFactors draws runs × industries standard normal factors from the
// source seeded (seed, BookFactorStream).
func drawFactors(seed uint64, runs, industries int) bookFactors {
	f := make(bookFactors, runs*industries)
	rng := rand.New(rand.NewPCG(seed, BookFactorStream))
	for i := range f {
		f[i] = rng.NormFloat64()
	}
	return f
}

// copula is one loan's draw in a scenario: z = √ρ·F + √(1−ρ)·ε, the j-th
// pending SPT met when z < Φ⁻¹(p_j).
type copula struct {
	sr, sq float64
	thr    []float64
	rng    *rand.Rand
}

// newCopula prepares a loan's draws: correlation rho, probabilities ps (in
// pending order), noise from the source seeded (seed, BookNoiseStream).
// Φ⁻¹(p) = √2·erf⁻¹(2p − 1), which is −∞ for p = 0 and +∞ for p = 1.
func newCopula(rho decimal.Decimal, ps []decimal.Decimal, seed uint64) *copula {
	r, _ := rho.Float64()
	c := &copula{sr: math.Sqrt(r), sq: math.Sqrt(1 - r), thr: make([]float64, len(ps)),
		rng: rand.New(rand.NewPCG(seed, BookNoiseStream))}
	for j, p := range ps {
		f, _ := p.Float64()
		c.thr[j] = math.Sqrt2 * math.Erfinv(2*f-1)
	}
	return c
}

// mask draws one run: one ε per pending SPT, whatever p and ρ, so that
// scenarios share draws; bit j is set when SPT j is met.
func (c *copula) mask(f bookFactors, at int) uint32 {
	var m uint32
	for j, t := range c.thr {
		if c.sr*f[at]+c.sq*c.rng.NormFloat64() < t {
			m |= 1 << j
		}
	}
	return m
}
