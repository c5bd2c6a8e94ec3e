package audit

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"

	"tfpricing/pricing/canon"
)

// Difference is one place where a recorded JSON document and its replay
// disagree. Path is a dotted path with indexes, as in
// "schedule.lines[3].rate" ("$" for the whole document); Recorded and
// Replayed are the canonical JSON of the value on each side (a string value
// keeps its quotes), or "" where that side has no such key or element.
type Difference struct {
	Path     string
	Recorded string
	Replayed string
}

// absent marks a key or element that one side does not have.
type absent struct{}

// jsonDifferences lists every leaf path at which two JSON texts differ, in
// sorted-key order (objects) and index order (arrays). Where the two sides
// differ in kind (an object against a string, say) the path is reported
// once, with each side's whole value.
func jsonDifferences(recorded, replayed []byte) ([]Difference, error) {
	a, err := jsonTree(recorded)
	if err != nil {
		return nil, err
	}
	b, err := jsonTree(replayed)
	if err != nil {
		return nil, err
	}
	var out []Difference
	walkDifferences("", a, b, &out)
	return out, nil
}

// jsonTree decodes JSON keeping numbers as written. Duplicate keys would be
// merged here, which is why every text compared has passed Canonical.
func jsonTree(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

func walkDifferences(path string, a, b any, out *[]Difference) {
	am, aIsObject := a.(map[string]any)
	bm, bIsObject := b.(map[string]any)
	if aIsObject && bIsObject {
		for _, k := range unionKeys(am, bm) {
			walkDifferences(joinPath(path, k), member(am, k), member(bm, k), out)
		}
		return
	}
	as, aIsArray := a.([]any)
	bs, bIsArray := b.([]any)
	if aIsArray && bIsArray {
		for i := 0; i < max(len(as), len(bs)); i++ {
			walkDifferences(path+"["+strconv.Itoa(i)+"]", element(as, i), element(bs, i), out)
		}
		return
	}
	if at, bt := leafText(a), leafText(b); at != bt {
		if path == "" {
			path = "$"
		}
		*out = append(*out, Difference{Path: path, Recorded: at, Replayed: bt})
	}
}

// unionKeys returns the keys of both objects, sorted, each once; maps are
// ranged over only to collect keys, never into output.
func unionKeys(a, b map[string]any) []string {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, dup := a[k]; !dup {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

func member(m map[string]any, k string) any {
	if v, ok := m[k]; ok {
		return v
	}
	return absent{}
}

func element(s []any, i int) any {
	if i < len(s) {
		return s[i]
	}
	return absent{}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// leafText is the canonical JSON of a value ("" when absent).
func leafText(v any) string {
	switch x := v.(type) {
	case absent:
		return ""
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(x)
	case json.Number:
		return string(x)
	case string:
		return string(canon.AppendString(nil, x))
	}
	b, err := canon.Canonical(v)
	if err != nil {
		return "?" // unreachable: v came from decoding valid JSON
	}
	return string(b)
}
