package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/canon"
)

// Records are the stored and hashed JSON forms of the domain values: terms,
// plans, fixings, attestations, schedules, quotes, assessments, decisions
// and checkpoints. Their conventions, relied on by replay and by anyone
// verifying a record with other tools:
//
//   - keys are snake_case; a stored document has "v": 1 at its top level
//     (records nested in another carry no "v");
//   - rates are strings with 4 decimals ("3.8500"), amounts with 2
//     ("491944.44"), basis points and KPI values in their shortest exact
//     form ("-15", "2.5", "79"); a value with more decimals than its field's
//     scale (only possible for invalid input) is written in full, never
//     rounded, because a record must not change what it records;
//   - dates are YYYY-MM-DD; an unset date or optional value is left out;
//   - the encoding is Canonical, so the same value always gives the same
//     bytes.
//
// Decoding is strict: unknown keys, malformed decimals or dates, a wrong
// "v", and anything not written exactly as the encoder writes it ("3.85" for
// a rate, a key in another case) are refused with every bad field named, so
// a tampered record cannot decode silently into something else.

// recordVersion is the "v" of every stored record document.
const recordVersion = 1

// docVersion is embedded in every record that can be a stored document;
// records nested in another leave it zero, so it is left out.
type docVersion struct {
	V int `json:"v,omitempty"`
}

func (d docVersion) version() int { return d.V }

// decodeDoc is every Decode function of a stored document: strict
// decoding into a record R, the "v" check, conversion to the domain value
// and the round trip.
func decodeDoc[R interface{ version() int }, T any](what string, data []byte,
	convert func(R, *recReader) T, encode func(T) ([]byte, error)) (T, error) {
	return decodeRecord(what, data, func(rec R, r *recReader) T {
		r.version(rec.version())
		return convert(rec, r)
	}, encode)
}

// decodeRecord decodes a record without a "v" of its own (one nested in a
// decision, such as its inputs), with the same strictness.
func decodeRecord[R any, T any](what string, data []byte,
	convert func(R, *recReader) T, encode func(T) ([]byte, error)) (T, error) {
	return decodeRecordFrom(what, data, false, convert, encode)
}

// decodeRecordFrom is decodeRecord for data that may be known to be
// canonical already (a part cut from a decoded record): it is then not
// canonicalised again, which was most of the cost of replaying a decision.
func decodeRecordFrom[R any, T any](what string, data []byte, canonical bool,
	convert func(R, *recReader) T, encode func(T) ([]byte, error)) (T, error) {
	var rec R
	var zero T
	canon, err := data, error(nil)
	if canonical {
		if err := decodeJSONStrict(data, &rec); err != nil {
			return zero, malformed(what, nil, err)
		}
	} else if canon, err = strictDecode(what, data, &rec); err != nil {
		return zero, err
	}
	r := &recReader{what: what}
	v := convert(rec, r)
	if err := r.finish(canon, func() ([]byte, error) { return encode(v) }); err != nil {
		return zero, err
	}
	return v, nil
}

// fixedString writes d with exactly places decimals when that is exact, and
// in full otherwise.
func fixedString(d decimal.Decimal, places int32) string {
	if d.Exponent() >= -places || d.Round(places).Equal(d) {
		return pricing.FixedString(d, places)
	}
	return pricing.NormalString(d)
}

func rateString(d decimal.Decimal) string   { return fixedString(d, 4) }
func amountString(d decimal.Decimal) string { return fixedString(d, 2) }

// optBp writes an optional basis-point figure.
func optBp(d *decimal.Decimal) *string {
	if d == nil {
		return nil
	}
	s := pricing.NormalString(*d)
	return &s
}

// recReader converts decoded record fields to domain values, collecting
// every problem with its JSON path instead of stopping at the first.
type recReader struct {
	what   string
	fields []tfpricing.FieldError
}

func (r *recReader) fail(path, code, format string, args ...any) {
	r.fields = append(r.fields, tfpricing.FieldError{Field: path, Code: code, Message: fmt.Sprintf(format, args...)})
}

// version checks the "v" of a stored document.
func (r *recReader) version(v int) {
	if v != recordVersion {
		r.fail("v", "version", "is %d; this build reads version %d records", v, recordVersion)
	}
}

// decimal parses a plain decimal and strips trailing fractional zeros, so a
// rate read back from "3.5500" has the scale it was published with and
// passes the same validation as the original.
func (r *recReader) decimal(path, s string) decimal.Decimal {
	d, err := pricing.ParseDecimal(s)
	if err != nil {
		r.fail(path, "decimal", "%q is not a plain decimal number", s)
		return decimal.Zero
	}
	if t, err := decimal.NewFromString(pricing.NormalString(d)); err == nil {
		return t
	}
	return d
}

func (r *recReader) optDecimal(path string, s *string) *decimal.Decimal {
	if s == nil {
		return nil
	}
	d := r.decimal(path, *s)
	return &d
}

// date parses an optional date: "" (left out) is the zero Date.
func (r *recReader) date(path, s string) tfpricing.Date {
	if s == "" {
		return tfpricing.Date{}
	}
	d, err := tfpricing.ParseDate(s)
	if err != nil {
		r.fail(path, "date", "%q is not a date of the form YYYY-MM-DD", s)
	}
	return d
}

// finish reports the collected problems, or else re-encodes the decoded
// value and requires exactly the canonical input back: the one check that
// catches every representation the encoder would not have written.
func (r *recReader) finish(canon []byte, reencode func() ([]byte, error)) error {
	if len(r.fields) > 0 {
		return malformed(r.what, r.fields, nil)
	}
	again, err := reencode()
	if err != nil {
		return malformed(r.what, nil, err)
	}
	return sameCanonical(r.what, canon, again)
}

// sameCanonical requires two canonical texts to be equal, naming the first
// path where they are not.
func sameCanonical(what string, canon, again []byte) error {
	if bytes.Equal(canon, again) {
		return nil
	}
	diffs, err := jsonDifferences(canon, again)
	if err != nil || len(diffs) == 0 {
		return malformed(what, nil, err)
	}
	d := diffs[0]
	return malformed(what, []tfpricing.FieldError{{Field: d.Path, Code: "non_canonical",
		Message: fmt.Sprintf("is %s, not %s as the record encoder writes it", orAbsent(d.Recorded), orAbsent(d.Replayed))}}, nil)
}

func orAbsent(s string) string {
	if s == "" {
		return "absent"
	}
	return s
}

// strictDecode canonicalises data (refusing malformed JSON and duplicate
// keys) and decodes it into rec, refusing unknown keys. It returns the
// canonical text for the round-trip check.
func strictDecode(what string, data []byte, rec any) ([]byte, error) {
	canon, err := canon.Canonical(data)
	if err != nil {
		return nil, malformed(what, nil, err)
	}
	if err := decodeJSONStrict(canon, rec); err != nil {
		return nil, malformed(what, nil, err)
	}
	return canon, nil
}

// decodeJSONStrict decodes exactly one JSON value, refusing unknown keys.
func decodeJSONStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("data after the JSON value")
	}
	return nil
}

// malformed is the error of a record that does not decode. It is a 422, not
// a 400: records are the service's own, so a bad one is a refusal to act on
// corrupt or tampered data, not a client mistake.
func malformed(what string, fields []tfpricing.FieldError, cause error) error {
	msg := fmt.Sprintf("the %s record is malformed", what)
	if cause != nil {
		msg += ": " + cause.Error()
	}
	return &tfpricing.Error{Code: tfpricing.EUNPROCESSABLE, Message: msg, Fields: fields, Err: cause}
}

// prefixed returns path under prefix ("" for none).
func prefixed(prefix, path string) string {
	if prefix == "" {
		return path
	}
	return prefix + "." + path
}
