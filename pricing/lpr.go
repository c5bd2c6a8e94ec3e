package pricing

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"

	"tfpricing"
)

// Fixing is one LPR publication: the 1-year and 5-year rates, in percent, in
// force from EffectiveDate until the next fixing.
type Fixing struct {
	EffectiveDate tfpricing.Date
	OneYear       decimal.Decimal
	FiveYear      decimal.Decimal
}

// Rate returns the tenor's rate: five-year when long, else one-year.
func (f Fixing) Rate(long bool) decimal.Decimal {
	if long {
		return f.FiveYear
	}
	return f.OneYear
}

// maxLPR bounds a published rate; anything above is a typing error.
var maxLPR = decimal.NewFromInt(100)

// Validate checks one fixing as a client sends it: a date and two positive
// rates of at most 2 decimals. Fields are named as in the request body.
func (f Fixing) Validate() error {
	return tfpricing.Invalid(f.problems(""))
}

func (f Fixing) problems(prefix string) []tfpricing.FieldError {
	var out []tfpricing.FieldError
	if f.EffectiveDate.IsZero() {
		out = append(out, fieldErr(prefix+"effective_date", "required", "is required"))
	}
	for _, r := range []struct {
		name string
		v    decimal.Decimal
	}{{"one_year", f.OneYear}, {"five_year", f.FiveYear}} {
		// Written with up to 4 decimals, as the service writes every rate
		// ("3.0000"), but a whole number of basis points, as the LPR is fixed.
		if !r.v.IsPositive() || r.v.Exponent() < -4 || r.v.GreaterThan(maxLPR) || !r.v.Shift(2).IsInteger() {
			out = append(out, fieldErr(prefix+r.name, "range",
				"must be a positive rate in percent, at most 100, in whole basis points (\"3.45\" or \"3.4500\"; at most 4 decimals written)"))
		}
	}
	return out
}

func fieldErr(field, code, msg string) tfpricing.FieldError {
	return tfpricing.FieldError{Field: field, Code: code, Message: msg}
}

// ParseFixings parses an LPR history document (a mapping with one key,
// fixings, listing {effective_date, one_year, five_year}) and validates it
// as NewCurve would, reporting every problem with its path.
func ParseFixings(name string, data []byte) ([]Fixing, error) {
	root, err := parseRoot(data)
	if err != nil {
		return nil, tfpricing.Errorf(tfpricing.EINVALID, "LPR document %q: %v", name, err)
	}
	r := &docReader{}
	top := r.fieldsOf(root, "", "fixings")
	items := r.sequence(top["fixings"], "fixings")
	fs := make([]Fixing, 0, len(items))
	for i, item := range items {
		path := fmt.Sprintf("fixings[%d]", i)
		f := r.fieldsOf(item, path, "effective_date", "one_year", "five_year")
		if f == nil {
			continue
		}
		fx := Fixing{
			EffectiveDate: r.date(f["effective_date"], path+".effective_date"),
			OneYear:       r.decimal(f["one_year"], path+".one_year"),
			FiveYear:      r.decimal(f["five_year"], path+".five_year"),
		}
		fs = append(fs, fx)
	}
	if err := r.invalidDoc("LPR", name); err != nil {
		return nil, err
	}
	if fes := fixingProblems(fs, "fixings"); len(fes) > 0 {
		r.fields = fes
		return nil, r.invalidDoc("LPR", name)
	}
	return fs, nil
}

// fixingProblems validates a list of fixings, naming each by its index.
func fixingProblems(fs []Fixing, list string) []tfpricing.FieldError {
	var out []tfpricing.FieldError
	seen := make(map[tfpricing.Date]bool, len(fs))
	for i, f := range fs {
		prefix := fmt.Sprintf("%s[%d].", list, i)
		out = append(out, f.problems(prefix)...)
		if !f.EffectiveDate.IsZero() && seen[f.EffectiveDate] {
			out = append(out, fieldErr(prefix+"effective_date", "duplicate",
				"another fixing has the same effective_date"))
		}
		seen[f.EffectiveDate] = true
	}
	return out
}

// Curve is a validated LPR history sorted by effective date. The zero Curve
// has no fixings.
type Curve struct {
	fixings []Fixing
}

// NewCurve validates fixings (unique dates, positive rates of at most 2
// decimals) and sorts them. It copies its input.
func NewCurve(fixings []Fixing) (Curve, error) {
	if err := tfpricing.Invalid(fixingProblems(fixings, "fixings")); err != nil {
		return Curve{}, err
	}
	fs := append([]Fixing(nil), fixings...)
	sort.Slice(fs, func(i, j int) bool { return fs[i].EffectiveDate.Before(fs[j].EffectiveDate) })
	return Curve{fixings: fs}, nil
}

// Fixings returns a copy of the fixings, oldest first.
func (c Curve) Fixings() []Fixing { return append([]Fixing(nil), c.fixings...) }

// Len returns the number of fixings.
func (c Curve) Len() int { return len(c.fixings) }

// InForce returns the fixing with the latest effective date on or before d.
func (c Curve) InForce(d tfpricing.Date) (Fixing, bool) {
	i := sort.Search(len(c.fixings), func(i int) bool { return c.fixings[i].EffectiveDate.After(d) })
	if i == 0 {
		return Fixing{}, false
	}
	return c.fixings[i-1], true
}

// Until returns the curve of the fixings effective on or before d: what was
// known on d.
func (c Curve) Until(d tfpricing.Date) Curve {
	i := sort.Search(len(c.fixings), func(i int) bool { return c.fixings[i].EffectiveDate.After(d) })
	return Curve{fixings: c.fixings[:i:i]}
}

// With returns a new curve with f added, validated as NewCurve does; the
// publication endpoint uses it to refuse a duplicate date.
func (c Curve) With(f Fixing) (Curve, error) {
	if err := f.Validate(); err != nil {
		return Curve{}, err
	}
	if g, ok := c.InForce(f.EffectiveDate); ok && g.EffectiveDate == f.EffectiveDate {
		return Curve{}, &tfpricing.Error{Code: tfpricing.ECONFLICT,
			Message: fmt.Sprintf("a fixing effective %s is already published", f.EffectiveDate),
			Fields:  []tfpricing.FieldError{fieldErr("effective_date", "duplicate", "is already published")}}
	}
	return NewCurve(append(c.Fixings(), f))
}
