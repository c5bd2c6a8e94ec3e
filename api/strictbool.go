package api

import (
	"encoding/json"
	"reflect"
)

// strictBool is an optional JSON boolean that may be absent (false) but not
// null: null would otherwise decode silently as false, and a bank's client
// that sends null for a declared flag has a bug worth a 400.
type strictBool bool

// UnmarshalJSON refuses null and anything but true or false. The decoder
// adds the field's path to the type error, so the problem names it.
func (b *strictBool) UnmarshalJSON(data []byte) error {
	switch string(data) {
	case "true":
		*b = true
		return nil
	case "false":
		*b = false
		return nil
	}
	v := string(data)
	if v != "null" {
		v = "a non-boolean"
	}
	return &json.UnmarshalTypeError{Value: v, Type: reflect.TypeOf(true)}
}
