package pricing

import (
	"fmt"

	"tfpricing"
)

// DefaultMaxStartAheadDays is how far after its as_of a quoted loan may
// start when the configuration does not say (quotes.max_start_ahead_days).
const DefaultMaxStartAheadDays = 365

// Plausibility holds the configurable limits of CheckPlausible.
type Plausibility struct {
	// MaxStartAheadDays is the latest start date, in days after as_of
	// (0: DefaultMaxStartAheadDays).
	MaxStartAheadDays int
}

// CheckPlausible refuses terms that are well formed but cannot be what the
// client meant when quoting on asOf under policy p — a 422 naming every
// such field, by the JSON path of a quote request:
//
//   - an SPT (KPI target year Y) whose reporting deadline
//     due(Y) = Y-12-31 + grace_days has passed on asOf: it would be
//     not_reported, and step the margin up, from the first period;
//   - any other target year before asOf's year (a past year's SPT);
//   - a baseline year after asOf's year (a baseline not yet observed);
//   - a start date more than MaxStartAheadDays after asOf.
//
// It is separate from PriceQuote so that replaying a decision recorded
// before these rules existed prices it as it was priced.
func CheckPlausible(t Terms, p *Policy, asOf tfpricing.Date, lim Plausibility) error {
	var fs []tfpricing.FieldError
	add := func(field, code, format string, args ...any) {
		fs = append(fs, fieldErr(field, code, fmt.Sprintf(format, args...)))
	}
	for i, k := range t.KPIs {
		if y := k.Baseline.Year; y > asOf.Year() {
			add(fmt.Sprintf("kpis[%d].baseline.year", i), "baseline_after_as_of",
				"the baseline year %d is after the quote's as_of %s: a baseline must have been observed", y, asOf)
		}
		for j, tg := range k.Targets {
			field := fmt.Sprintf("kpis[%d].targets[%d].year", i, j)
			switch due := DueDate(tg.Year, p.Ratchet.GraceDays); {
			case asOf.After(due):
				add(field, "deadline_passed",
					"the reporting deadline of %d (%s, policy %s: 31 December + %d grace days) has passed on as_of %s",
					tg.Year, due, p.Version, p.Ratchet.GraceDays, asOf)
			case tg.Year < asOf.Year():
				add(field, "before_quote_year", "the target year %d is before the quote's year %d", tg.Year, asOf.Year())
			}
		}
	}
	maxAhead := lim.MaxStartAheadDays
	if maxAhead <= 0 {
		maxAhead = DefaultMaxStartAheadDays
	}
	if latest := asOf.AddDays(maxAhead); t.Facility.StartDate.After(latest) {
		add("facility.start_date", "beyond_horizon",
			"must be at most %d days after as_of %s (by %s)", maxAhead, asOf, latest)
	}
	if len(fs) == 0 {
		return nil
	}
	return &tfpricing.Error{Code: tfpricing.EUNPROCESSABLE,
		Message: "the quote is not plausible as of " + asOf.String() + "; see errors", Fields: fs}
}
