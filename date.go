package tfpricing

import (
	"fmt"
	"time"
)

// DateLayout is the only date format the service reads and writes.
const DateLayout = "2006-01-02"

// Date is a civil calendar date without time or zone. The zero Date means
// "not set". It is comparable with == and usable as a map key.
type Date struct {
	t time.Time // always midnight UTC
}

// NewDate returns the date y-m-d, normalising out-of-range values as
// time.Date does.
func NewDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// ParseDate parses a strict YYYY-MM-DD date.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil || len(s) != len(DateLayout) {
		return Date{}, fmt.Errorf("%q is not a date of the form YYYY-MM-DD", s)
	}
	return Date{t}, nil
}

// MustParseDate is ParseDate for constants in tests and shipped data; it
// panics on a malformed literal.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DateOf returns the calendar date of t in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return NewDate(y, m, d)
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d.t.IsZero() }

// String formats d as YYYY-MM-DD ("" when unset).
func (d Date) String() string {
	var b [10]byte
	return string(d.AppendTo(b[:0]))
}

// AppendTo appends d as String writes it (nothing when unset), without
// allocating: a quote's stored outputs write three dates a line.
func (d Date) AppendTo(b []byte) []byte {
	if d.IsZero() {
		return b
	}
	y, m, day := d.t.Date()
	if y < 0 || y > 9999 {
		return d.t.AppendFormat(b, DateLayout) // never for a date the service accepts
	}
	// Written by hand: every schedule line carries three dates, and
	// time.Format was 4 % of a quote's server CPU.
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+int(m)/10), byte('0'+int(m)%10), '-', byte('0'+day/10), byte('0'+day%10))
}

// Year returns the calendar year of d.
func (d Date) Year() int { return d.t.Year() }

// Month returns the month of d.
func (d Date) Month() time.Month { return d.t.Month() }

// Day returns the day of month of d.
func (d Date) Day() int { return d.t.Day() }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// AddMonths returns d moved by n months with the day of month clamped to the
// target month's length, so Jan 31 + 1 month is Feb 28 (or 29), not Mar 3.
func (d Date) AddMonths(n int) Date {
	y, m, day := d.t.Date()
	total := int(m) - 1 + n
	ty := y + floorDiv(total, 12)
	tm := time.Month(total - floorDiv(total, 12)*12 + 1)
	if last := daysIn(ty, tm); day > last {
		day = last
	}
	return NewDate(ty, tm, day)
}

// DaysUntil returns the number of days from d to o (negative when o is
// earlier).
func (d Date) DaysUntil(o Date) int {
	return int(o.t.Sub(d.t).Hours() / 24)
}

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int { return d.t.Compare(o.t) }

// Before reports whether d is strictly earlier than o.
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }

// After reports whether d is strictly later than o.
func (d Date) After(o Date) bool { return d.t.After(o.t) }

// MinDate returns the earlier of a and b.
func MinDate(a, b Date) Date {
	if b.Before(a) {
		return b
	}
	return a
}

// MarshalText implements encoding.TextMarshaler (JSON and YAML use it).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with strict parsing;
// the empty text is the zero Date, as MarshalText writes it.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
