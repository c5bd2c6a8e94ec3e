package tfpricing

import (
	"testing"
)

// TestDateStringMatchesLayout checks the hand-written formatter against
// time.Format for every day of 1900–2200 (leap years, month ends) and the
// edges of four-digit years.
func TestDateStringMatchesLayout(t *testing.T) {
	for d := NewDate(1900, 1, 1); d.Before(NewDate(2201, 1, 1)); d = d.AddDays(1) {
		if got, want := d.String(), d.t.Format(DateLayout); got != want {
			t.Fatalf("String() = %q, want %q", got, want)
		}
	}
	for _, d := range []Date{NewDate(1, 1, 2), NewDate(9999, 12, 31), NewDate(10000, 1, 1), NewDate(-1, 3, 4)} {
		if got, want := d.String(), d.t.Format(DateLayout); got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
	}
	if got := (Date{}).String(); got != "" {
		t.Errorf("zero Date = %q, want empty", got)
	}
	if got := MustParseDate("2024-02-29").String(); got != "2024-02-29" {
		t.Errorf("round trip = %q", got)
	}
}

// AppendTo keeps what is before it and appends nothing for the zero Date.
func TestDateAppendTo(t *testing.T) {
	if got := string(NewDate(2027, 3, 10).AppendTo([]byte(`x"`))); got != `x"2027-03-10` {
		t.Errorf("AppendTo = %q", got)
	}
	if got := string((Date{}).AppendTo([]byte("x"))); got != "x" {
		t.Errorf("zero AppendTo = %q", got)
	}
	if got := string(NewDate(10000, 1, 1).AppendTo([]byte("x"))); got != "x"+NewDate(10000, 1, 1).t.Format(DateLayout) {
		t.Errorf("AppendTo beyond 9999 = %q", got)
	}
}
