package audit

import (
	"encoding/json"
	"fmt"
	"regexp"

	"tfpricing"
	"tfpricing/pricing/canon"
)

// SecondPartyOpinion is an external review of a loan's framework
// (DESIGN.md §5.1, issue 16): who gave it, when, its conclusion and the
// SHA-256 of the report.
type SecondPartyOpinion struct {
	LoanID       string
	Provider     string
	Date         tfpricing.Date
	Conclusion   string // aligned | partially_aligned | not_aligned
	ReportSHA256 string
}

// Conclusions are the conclusions a second-party opinion may reach.
var Conclusions = []string{"aligned", "partially_aligned", "not_aligned"}

var hex64 = regexp.MustCompile(`^[0-9a-f]{64}$`)

type spoRecord struct {
	Conclusion   string `json:"conclusion"`
	Date         string `json:"date"`
	LoanID       string `json:"loan_id"`
	Provider     string `json:"provider"`
	ReportSHA256 string `json:"report_sha256"`
}

// check is the opinion's own consistency, which replay confirms.
func (o SecondPartyOpinion) check() error {
	ok := false
	for _, c := range Conclusions {
		ok = ok || c == o.Conclusion
	}
	switch {
	case !ok:
		return fmt.Errorf("conclusion %q is not one of %v", o.Conclusion, Conclusions)
	case !hex64.MatchString(o.ReportSHA256):
		return fmt.Errorf("report_sha256 is not 64 lower-case hex digits")
	case o.Provider == "" || o.Date.IsZero() || o.LoanID == "":
		return fmt.Errorf("provider, date and loan are required")
	}
	return nil
}

func (o SecondPartyOpinion) encode() (json.RawMessage, error) {
	return canon.Marshal(spoRecord{Conclusion: o.Conclusion, Date: o.Date.String(), LoanID: o.LoanID,
		Provider: o.Provider, ReportSHA256: o.ReportSHA256})
}

// Decision returns the unsealed decision recording the opinion; its
// outputs are the opinion as accepted.
func (o SecondPartyOpinion) Decision(asOf tfpricing.Date) (Decision, error) {
	if err := o.check(); err != nil {
		return Decision{}, tfpricing.Errorf(tfpricing.EINTERNAL, "second-party opinion: %v", err)
	}
	raw, err := o.encode()
	if err != nil {
		return Decision{}, tfpricing.Errorf(tfpricing.EINTERNAL, "second-party opinion: %v", err)
	}
	d := Decision{Kind: DecisionSecondPartyOpinion, LoanID: o.LoanID, AsOf: asOf, Inputs: raw,
		EngineVersion: EngineVersion, Outputs: raw}
	d.knowCanonical()
	return d, nil
}

// replaySecondPartyOpinion decodes the recorded opinion, checks it and
// records it again.
func replaySecondPartyOpinion(d Decision) (json.RawMessage, error) {
	o, err := decodeRecordFrom("second-party opinion", d.Inputs, false,
		func(rec spoRecord, r *recReader) SecondPartyOpinion {
			return SecondPartyOpinion{LoanID: rec.LoanID, Provider: rec.Provider, Date: r.date("date", rec.Date),
				Conclusion: rec.Conclusion, ReportSHA256: rec.ReportSHA256}
		}, func(o SecondPartyOpinion) ([]byte, error) { return o.encode() })
	if err != nil {
		return nil, replayFailed(d, "its inputs do not decode", err)
	}
	if err := o.check(); err != nil {
		return nil, replayFailed(d, "its opinion is inconsistent", err)
	}
	return o.encode()
}
