package api

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"testing"

	"tfpricing"
)

// fillDTO sets every field of a response DTO at random: strings from a list
// holding the empty string and every character encoding/json escapes,
// pointers and slices nil or set, dates zero or set.
func fillDTO(r *rand.Rand, v reflect.Value) {
	strs := []string{"", "a", "C28-P01", `q"uote\back`, "tab\tnl\nctl\x01\x1f", "<&>", "湖州某化纤", "\u2028\u2029",
		"bad\xffutf8", "emoji😀"}
	if v.Type() == reflect.TypeOf(tfpricing.Date{}) {
		if r.IntN(3) > 0 {
			v.Set(reflect.ValueOf(tfpricing.MustParseDate("2026-11-27").AddDays(r.IntN(4000))))
		}
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(strs[r.IntN(len(strs))])
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 1)
	case reflect.Struct:
		for i := range v.NumField() {
			fillDTO(r, v.Field(i))
		}
	case reflect.Pointer:
		if r.IntN(3) == 0 {
			v.SetZero()
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fillDTO(r, v.Elem())
	case reflect.Slice:
		n := r.IntN(4)
		if n == 0 {
			v.SetZero()
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), n-1, n-1))
		for i := range n - 1 {
			fillDTO(r, v.Index(i))
		}
	case reflect.Map:
		v.SetZero() // the quote's projections: quoteBody writes them from the quote
	default:
		panic("fillDTO: no rule for " + v.Type().String())
	}
}

func TestAssessmentBodyMatchesJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 9))
	for range 5000 {
		var a assessmentJSON
		fillDTO(r, reflect.ValueOf(&a).Elem())
		var want bytes.Buffer
		if err := writeJSON(&want, a); err != nil {
			t.Fatal(err)
		}
		if got := assessmentBody(a); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("assessmentBody differs from writeJSON:\n got %s\nwant %s", got, want.Bytes())
		}
	}
}
