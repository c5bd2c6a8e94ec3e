package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"tfpricing"
)

// The strict reading of a request body, before encoding/json fills the DTO:
// the body's shape is walked against the DTO's type so every structural
// problem is reported with its full JSON path (facility.tenor, not tenor),
// in the client's terms (never a Go type name): duplicate keys, null where
// the contract does not allow it (no request field is nullable: omit an
// optional field instead), unknown fields and wrong JSON types.

// maxStrictErrors bounds the list of structural problems reported at once.
const maxStrictErrors = 50

// checkContentType refuses a body not declared as JSON (415): a
// form-encoded or text/plain body is not priced by accident.
func checkContentType(c echo.Context) error {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	mt, params, err := mime.ParseMediaType(ct)
	if err == nil && mt == echo.MIMEApplicationJSON {
		if cs, ok := params["charset"]; !ok || strings.EqualFold(cs, "utf-8") {
			return nil
		}
	}
	msg := "the body must be JSON: send Content-Type: application/json"
	if ct != "" {
		msg += " (not " + ct + ")"
	}
	return &tfpricing.Error{Code: tfpricing.EUNSUPPORTED, Message: msg,
		Fields: []tfpricing.FieldError{{Field: "", Code: "content_type", Message: msg}}}
}

// readJSONBody reads a request body that must be JSON: over the limit is
// a 413, empty a 400 whatever its Content-Type, anything else not declared
// as JSON a 415.
func readJSONBody(c echo.Context) ([]byte, error) {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return nil, he // the body limit's 413
		}
		return nil, fieldErr("", "malformed", "the body could not be read")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fieldErr("", "required", "the request body is empty; a JSON object is required")
	}
	if err := checkContentType(c); err != nil {
		return nil, err
	}
	return body, nil
}

// readStrict reads the body and checks its shape against dst's type.
func readStrict(c echo.Context, dst any) ([]byte, error) {
	body, err := readJSONBody(c)
	if err != nil {
		return nil, err
	}
	w := &shapeWalker{dec: json.NewDecoder(bytes.NewReader(body))}
	w.dec.UseNumber()
	if err := w.value(reflect.TypeOf(dst), ""); err != nil {
		return nil, err
	}
	if _, err := w.dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fieldErr("", "malformed", "the body must hold exactly one JSON object")
	}
	if len(w.errs) > 0 {
		return nil, tfpricing.Invalid(w.errs)
	}
	return body, nil
}

// shapeWalker walks a JSON document token by token beside a Go type.
type shapeWalker struct {
	dec  *json.Decoder
	errs []tfpricing.FieldError
}

func (w *shapeWalker) fail(path, code, msg string) {
	if len(w.errs) < maxStrictErrors {
		w.errs = append(w.errs, tfpricing.FieldError{Field: path, Code: code, Message: msg})
	}
}

// syntaxErr is a JSON syntax error: it stops the walk.
func syntaxErr(err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fieldErr("", "malformed", fmt.Sprintf("malformed JSON at byte %d", syn.Offset))
	}
	return fieldErr("", "malformed", "malformed JSON: the body ends too early")
}

// value reads one JSON value and checks it against t. It returns an error
// only when the JSON itself is malformed; shape problems are collected.
func (w *shapeWalker) value(t reflect.Type, path string) error {
	tok, err := w.dec.Token()
	if err != nil {
		return syntaxErr(err)
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if tok == nil {
		if path == "" {
			w.fail("", "type", "the body must be a JSON object")
		} else {
			w.fail(path, "null", "must not be null; omit the field instead")
		}
		return nil
	}
	want := jsonKind(t)
	if got := tokenKind(tok); got != want {
		if path == "" {
			w.fail("", "type", "the body must be a JSON object, not "+got)
		} else {
			w.fail(path, "type", "must be "+article(want)+", not "+got+kindHint(t))
		}
		return w.skip(tok)
	}
	switch t.Kind() {
	case reflect.Struct:
		return w.object(path, func(key, p string) error {
			f, ok := fieldByJSONName(t, key)
			if !ok {
				w.fail(p, "unknown", "unknown field "+p)
				return w.skipNext()
			}
			return w.value(f.Type, p)
		})
	case reflect.Map:
		return w.object(path, func(_, p string) error { return w.value(t.Elem(), p) })
	case reflect.Slice:
		for i := 0; w.dec.More(); i++ {
			if err := w.value(t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		return w.closing()
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint64, reflect.Uint32, reflect.Uint:
		n := tok.(json.Number).String()
		var err error
		if t.Kind() >= reflect.Uint && t.Kind() <= reflect.Uint64 {
			_, err = strconv.ParseUint(n, 10, t.Bits())
		} else {
			_, err = strconv.ParseInt(n, 10, t.Bits())
		}
		if err != nil {
			w.fail(path, "type", "must be a whole number in range, not "+n)
		}
	}
	return nil
}

// object reads the members of an object whose { was read, refusing
// duplicate keys, and calls member for each value.
func (w *shapeWalker) object(path string, member func(key, path string) error) error {
	seen := map[string]bool{}
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return syntaxErr(err)
		}
		key, _ := tok.(string)
		p := key
		if path != "" {
			p = path + "." + key
		}
		if seen[key] {
			w.fail(p, "duplicate", "the key "+p+" appears more than once")
			if err := w.skipNext(); err != nil {
				return err
			}
			continue
		}
		seen[key] = true
		if err := member(key, p); err != nil {
			return err
		}
	}
	return w.closing()
}

// closing reads the ] or } that ends an array or object.
func (w *shapeWalker) closing() error {
	if _, err := w.dec.Token(); err != nil {
		return syntaxErr(err)
	}
	return nil
}

// skipNext skips the next value; skip skips the rest of one whose first
// token was read.
func (w *shapeWalker) skipNext() error {
	tok, err := w.dec.Token()
	if err != nil {
		return syntaxErr(err)
	}
	return w.skip(tok)
}

func (w *shapeWalker) skip(tok json.Token) error {
	d, ok := tok.(json.Delim)
	if !ok || (d != '{' && d != '[') {
		return nil
	}
	for depth := 1; depth > 0; {
		tok, err := w.dec.Token()
		if err != nil {
			return syntaxErr(err)
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
	}
	return nil
}

// fieldByJSONName finds a struct field by its JSON name.
func fieldByJSONName(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.IsExported() && tag == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// jsonKind is the JSON type a Go type is read from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	}
	return "value"
}

func tokenKind(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			return "object"
		}
		return "array"
	case string:
		return "string"
	case bool:
		return "boolean"
	case json.Number:
		if strings.ContainsAny(v.String(), ".eE") {
			return "number"
		}
		return "integer"
	}
	return "null"
}

func article(kind string) string {
	switch kind {
	case "object", "array", "integer":
		return "an " + kind
	}
	return "a " + kind
}

// kindHint explains the one mismatch clients make most: decimals are
// strings.
func kindHint(t reflect.Type) string {
	if t.Kind() == reflect.String {
		return " (decimals travel as strings, e.g. \"88.5\")"
	}
	return ""
}

// refuseEmptyQuery answers 400 for a query parameter given without a value
// (?as_of=): it is neither absent (the default) nor a value.
func refuseEmptyQuery(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		var fields []tfpricing.FieldError
		for name, vals := range c.QueryParams() {
			for _, v := range vals {
				if v == "" {
					fields = append(fields, tfpricing.FieldError{Field: name, Code: "empty",
						Message: "has no value; give a value or leave the parameter out"})
					break
				}
			}
		}
		if len(fields) > 0 {
			sort.Slice(fields, func(i, j int) bool { return fields[i].Field < fields[j].Field })
			return tfpricing.Invalid(fields)
		}
		return next(c)
	}
}
