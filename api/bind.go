package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing/canon"
)

// newValidator returns a validator that names fields by their JSON names, so
// its errors carry the paths clients send (kpis[0].targets[1].year).
func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	_ = v.RegisterValidation("decimal", func(fl validator.FieldLevel) bool {
		_, ok := plainDecimal(fl.Field().String())
		return ok
	})
	_ = v.RegisterValidation("date", func(fl validator.FieldLevel) bool {
		_, err := tfpricing.ParseDate(fl.Field().String())
		return err == nil
	})
	return v
}

// plainDecimal parses a decimal string a client sent: the one parser behind
// the "decimal" tag, fieldSet.parseDec and the simulation fields.
//
// A plain decimal of at most 18 digits (every one a client sends in
// practice) is built from the int64 its digits spell, as NewFromString
// itself builds it (big.NewInt of the digits, the exponent minus the
// number of places), without its scans for exponents and Unicode minus
// signs; anything else goes to NewFromString. TestPlainDecimalFast holds
// the two to each other.
func plainDecimal(s string) (decimal.Decimal, bool) {
	if n, places, ok := smallPlain(s); ok {
		return decimal.New(n, -int32(places)), true
	}
	return plainDecimalSlow(s)
}

// isPlainDecimal is plainDecimal's ok without building the value when
// the int64 path can answer.
func isPlainDecimal(s string) bool {
	if _, _, ok := smallPlain(s); ok {
		return true
	}
	_, ok := plainDecimalSlow(s)
	return ok
}

func plainDecimalSlow(s string) (decimal.Decimal, bool) {
	d, err := decimal.NewFromString(s)
	return d, err == nil && canon.IsPlainDecimal(s)
}

// smallPlain reads a plain decimal (canon.IsPlainDecimal's grammar: an
// optional '-', digits, optionally '.' and digits) of at most 18 digits:
// the digits as an int64 and the number after the point.
func smallPlain(s string) (n int64, places int, ok bool) {
	i := 0
	if len(s) > 0 && s[0] == '-' {
		i = 1
	}
	point, digits := -1, 0
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			n = n*10 + int64(c-'0')
			digits++
		case c == '.' && point < 0 && digits > 0:
			point = i
		default:
			return 0, 0, false
		}
	}
	if digits == 0 || digits > 18 || point == len(s)-1 {
		return 0, 0, false
	}
	if point >= 0 {
		places = len(s) - 1 - point
	}
	if s[0] == '-' {
		n = -n
	}
	return n, places, true
}

// decode reads the JSON body strictly into dst: a Content-Type other than
// application/json is a 415; duplicate keys, nulls, unknown fields,
// trailing data and type mismatches are 400s naming the field by its full
// path (readStrict). The validate tags run separately (validateStruct) so
// their failures can be merged with the domain's own checks into one list.
func (s *Server) decode(c echo.Context, dst any) error {
	if ok, err := s.decodeFast(c, dst); ok || err != nil {
		return err
	}
	body, err := readStrict(c, dst)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	return nil
}

// decodeFast decodes a clean body without the walker (decodeShape)
// and reports whether it did. Otherwise dst is left zero and the body is
// put back for the walker's path, which words the errors; an error here
// is one of readJSONBody's (413, empty body, 415), answered as before.
// A DTO with its own fast path (bodyDecoder) tries that first.
func (s *Server) decodeFast(c echo.Context, dst any) (bool, error) {
	sh := s.shapes.of(reflect.TypeOf(dst))
	if sh == nil {
		return false, nil
	}
	body, err := readJSONBody(c)
	if err != nil {
		return false, err
	}
	if bd, ok := dst.(bodyDecoder); ok {
		if bd.decodeBody(body) {
			return true, nil
		}
		reflect.ValueOf(dst).Elem().SetZero()
	}
	if decodeShape(body, sh, dst) {
		return true, nil
	}
	reflect.ValueOf(dst).Elem().SetZero()
	c.Request().Body = io.NopCloser(bytes.NewReader(body))
	return false, nil
}

func decodeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var he *echo.HTTPError
	switch {
	case errors.Is(err, io.EOF):
		return fieldErr("", "required", "the request body is empty; a JSON object is required")
	case errors.As(err, &syn):
		return fieldErr("", "malformed", fmt.Sprintf("malformed JSON at byte %d", syn.Offset))
	case errors.As(err, &typ):
		// readStrict catches type mismatches first; this is the fallback,
		// in JSON's terms too (never a Go type name).
		want := jsonKind(typ.Type)
		if typ.Type.Kind() == reflect.String {
			want = "string (decimals travel as strings, e.g. \"88.5\")"
		}
		return fieldErr(typ.Field, "type", fmt.Sprintf("must be a JSON %s, not %s", want, typ.Value))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return fieldErr(name, "unknown", "unknown field "+name)
	case errors.As(err, &he):
		return he // the body limit's 413
	}
	return fieldErr("", "malformed", "malformed JSON: "+err.Error())
}

func fieldErr(field, code, msg string) error {
	return tfpricing.Invalid([]tfpricing.FieldError{{Field: field, Code: code, Message: msg}})
}

// validateStruct runs the validate tags and converts every failure into a
// FieldError with a message a person can act on.
func (s *Server) validateStruct(v any) error {
	err := s.valid.Struct(v)
	var ves validator.ValidationErrors
	if err == nil || !errors.As(err, &ves) {
		return err
	}
	fields := make([]tfpricing.FieldError, 0, len(ves))
	for _, fe := range ves {
		fields = append(fields, tfpricing.FieldError{Field: fieldPath(fe.Namespace()), Code: fe.Tag(), Message: tagMessage(fe)})
	}
	return tfpricing.Invalid(fields)
}

// fieldPath drops the root struct name from a validator namespace.
func fieldPath(ns string) string {
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return ns
}

func tagMessage(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required":
		switch fe.Kind() {
		case reflect.String:
			return "required (must not be empty)"
		}
		return "required"
	case "decimal":
		return "must be a decimal string such as \"88.5\""
	case "date":
		return dateMessage(fe.Field(), fmt.Sprint(fe.Value()))
	case "oneof":
		return "must be one of: " + fe.Param()
	case "min", "gte":
		if u := sizeUnit(fe.Kind(), fe.Param()); u != "" {
			return "must have at least " + fe.Param() + " " + u
		}
		return "must be at least " + fe.Param()
	case "max", "lte":
		if u := sizeUnit(fe.Kind(), fe.Param()); u != "" {
			return "must have at most " + fe.Param() + " " + u
		}
		return "must be at most " + fe.Param()
	case "len":
		if u := sizeUnit(fe.Kind(), fe.Param()); u != "" {
			return "must have exactly " + fe.Param() + " " + u
		}
		return "must have length " + fe.Param()
	case "lowercase":
		return "must be lowercase"
	case "hexadecimal":
		return "must be hexadecimal"
	}
	return "is invalid (" + fe.Tag() + ")"
}

// sizeUnit names what a length counts: items of a list or map, characters
// of a string ("" for numbers).
func sizeUnit(k reflect.Kind, n string) string {
	unit := ""
	switch k {
	case reflect.Slice, reflect.Array, reflect.Map:
		unit = "item"
	case reflect.String:
		unit = "character"
	default:
		return ""
	}
	if n != "1" {
		unit += "s"
	}
	return unit
}

// dateMessage says what is wrong with a date: its form, or, for a value of
// the right form, the month or day that does not exist.
func dateMessage(_, s string) string {
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		y, ey := strconv.Atoi(s[:4])
		m, em := strconv.Atoi(s[5:7])
		d, ed := strconv.Atoi(s[8:])
		if ey == nil && em == nil && ed == nil && y >= 0 && d >= 0 {
			if m < 1 || m > 12 {
				return fmt.Sprintf("month %02d does not exist (a date is YYYY-MM-DD)", m)
			}
			return fmt.Sprintf("day %02d does not exist in %04d-%02d", d, y, m)
		}
	}
	return "must be a date of the form YYYY-MM-DD"
}
