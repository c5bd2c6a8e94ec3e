package pricing

import (
	"sort"
	"strings"
	"testing"

	"tfpricing"
)

// The shipped LPR history is the seven fixings of DESIGN.md §4.2.
func TestShippedLPR(t *testing.T) {
	c := shippedCurve(t)
	want := []string{
		"2022-08-22 3.65 4.30", "2023-06-20 3.55 4.20", "2023-08-21 3.45 4.20", "2024-02-20 3.45 3.95",
		"2024-07-22 3.35 3.85", "2024-10-21 3.10 3.60", "2025-05-20 3.00 3.50",
	}
	fs := c.Fixings()
	if len(fs) != len(want) {
		t.Fatalf("%d fixings, want %d", len(fs), len(want))
	}
	for i, f := range fs {
		if got := f.EffectiveDate.String() + " " + f.OneYear.StringFixed(2) + " " + f.FiveYear.StringFixed(2); got != want[i] {
			t.Errorf("fixing %d: %s, want %s", i, got, want[i])
		}
	}
	// In force on d: the latest effective date on or before d.
	for d, want := range map[string]string{
		"2022-08-22": "2022-08-22", "2023-06-19": "2022-08-22", "2023-07-01": "2023-06-20",
		"2024-07-01": "2024-02-20", "2024-07-22": "2024-07-22", "2030-01-01": "2025-05-20",
	} {
		if f, ok := c.InForce(day(d)); !ok || f.EffectiveDate.String() != want {
			t.Errorf("in force on %s: %s, want %s", d, f.EffectiveDate, want)
		}
	}
	if _, ok := c.InForce(day("2022-08-21")); ok {
		t.Error("nothing is in force before the first fixing")
	}
	if u := c.Until(day("2024-07-21")); u.Len() != 4 {
		t.Errorf("known on 2024-07-21: %d fixings, want 4", u.Len())
	}
}

func TestCurveWith(t *testing.T) {
	c := shippedCurve(t)
	next, err := c.With(Fixing{EffectiveDate: day("2026-12-22"), OneYear: dec("2.90"), FiveYear: dec("3.40")})
	if err != nil {
		t.Fatal(err)
	}
	if next.Len() != 8 || c.Len() != 7 {
		t.Errorf("With must copy: %d and %d", next.Len(), c.Len())
	}
	_, err = c.With(Fixing{EffectiveDate: day("2025-05-20"), OneYear: dec("2.90"), FiveYear: dec("3.40")})
	appErr(t, err, tfpricing.ECONFLICT)
	_, err = c.With(Fixing{OneYear: dec("0"), FiveYear: dec("3.455")})
	if e := appErr(t, err, tfpricing.EINVALID); fieldsOf(e) != "effective_date one_year five_year" {
		t.Errorf("fields %q", fieldsOf(e))
	}
}

// A bad LPR document reports every problem with its path.
func TestParseFixingsInvalid(t *testing.T) {
	doc := `
fixings:
  - {effective_date: 2022-08-22, one_year: "3.65", five_year: "4.30"}
  - {effective_date: 2022-08-22, one_year: "3.655", five_year: "-1"}
  - {effective_date: 2023-02-30, one_year: x, five_year: "4.20", source: pboc}
  - {one_year: "3.45"}
  - 7
extra: true
`
	_, err := ParseFixings("bad.yaml", []byte(doc))
	e := appErr(t, err, tfpricing.EINVALID)
	want := []string{"extra", "fixings[2].source", "fixings[2].effective_date", "fixings[2].one_year",
		"fixings[3].effective_date", "fixings[3].five_year", "fixings[4]"}
	if got := strings.Fields(fieldsOf(e)); !sameSet(got, want) {
		t.Errorf("fields\n got %v\nwant %v", got, want)
	}
	// Once the document is well-typed, the values are checked as NewCurve does.
	_, err = ParseFixings("dup.yaml", []byte(`
fixings:
  - {effective_date: 2022-08-22, one_year: "3.65", five_year: "4.30"}
  - {effective_date: 2022-08-22, one_year: "3.655", five_year: "-1"}
`))
	e = appErr(t, err, tfpricing.EINVALID)
	if got := fieldsOf(e); got != "fixings[1].one_year fixings[1].five_year fixings[1].effective_date" {
		t.Errorf("fields %q", got)
	}
	for name, doc := range map[string]string{
		"empty": "", "not a mapping": "- 1\n- 2\n", "malformed": "fixings: [\n", "two documents": "fixings: []\n---\nfixings: []\n",
		"exponent": "fixings: [{effective_date: 2024-01-01, one_year: 1e3, five_year: 4}]",
	} {
		if _, err := ParseFixings(name, []byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		} else {
			appErr(t, err, tfpricing.EINVALID)
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = append([]string(nil), a...), append([]string(nil), b...)
	sort.Strings(a)
	sort.Strings(b)
	return strings.Join(a, " ") == strings.Join(b, " ")
}
