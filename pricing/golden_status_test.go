package pricing

import (
	"strconv"
	"strings"
	"testing"
)

// sptStrings writes SPT statuses as golden.py does: metric, year, outcome
// and the date it was determined on ("-" while pending).
func sptStrings(spts []SPTStatus) []string {
	out := make([]string, len(spts))
	for i, s := range spts {
		on := "-"
		if !s.DeterminedOn.IsZero() {
			on = s.DeterminedOn.String()
		}
		out[i] = strings.Join([]string{s.MetricID, strconv.Itoa(s.Year), string(s.Outcome), on}, " ")
	}
	return out
}

// statusStrings writes attestation statuses as golden.py does: metric,
// year, accepted_on, status and outcome ("-" when it determines nothing).
func statusStrings(atts []AttestationStatus) []string {
	out := make([]string, len(atts))
	for i, a := range atts {
		o := string(a.Outcome)
		if o == "" {
			o = "-"
		}
		out[i] = strings.Join([]string{a.MetricID, strconv.Itoa(a.Year), a.AcceptedOn.String(), string(a.Status), o}, " ")
	}
	return out
}

func compareLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d %s lines, want %d:\n got %q\nwant %q", len(got), what, len(want), got, want)
		return
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s %d\n got %s\nwant %s", what, i+1, got[i], want[i])
		}
	}
}
