package boltstore

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// The idempotency header, this package's own record, spells its keys in
// tags like storedfmt's records (whose own test checks theirs): only
// strings, numbers, times and storedfmt's records, never a domain struct.
func TestIdempotencyHeaderSpellsItsKeys(t *testing.T) {
	ty := reflect.TypeOf(idempotencyHeader{})
	for i := range ty.NumField() {
		f := ty.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous || tag == "" || tag == "-" {
			t.Errorf("%s: no key of its own", f.Name)
		}
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && ft.PkgPath() != "tfpricing/pricing/storedfmt" && ft.PkgPath() != "time" {
			t.Errorf("%s: %s is not a stored record type", f.Name, ft)
		}
	}
	if _, err := json.Marshal(idempotencyHeader{}); err != nil {
		t.Fatal(err)
	}
}
