package api_test

import (
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// mutation is one place of a body that can be made invalid.
type mutation struct {
	path   string
	apply  func()
	desc   string
	expect string // the field the 400 must name
}

// mutate makes body invalid in one place the schema constrains and returns
// the field path a 400 must name ("-" when there is nothing to mutate).
func (g *schemaGen) mutate(body map[string]any, s *openapi3.Schema) (string, string) {
	var ms []mutation
	g.mutations(&ms, body, s, "", nil)
	if len(ms) == 0 {
		return "-", ""
	}
	m := ms[g.r.IntN(len(ms))]
	m.apply()
	return m.expect, m.desc
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// mutations lists the ways to make v (at path, under schema s) invalid;
// set replaces v in its parent (nil for the root).
func (g *schemaGen) mutations(ms *[]mutation, v any, s *openapi3.Schema, path string, set func(any)) {
	add := func(desc string, nv any, expect string) {
		*ms = append(*ms, mutation{path: path, desc: desc, expect: expect, apply: func() { set(nv) }})
	}
	if set != nil {
		add("null", nil, path)
		switch v.(type) {
		case string:
			add("a number for a string", 12, path)
		case float64:
			add("a string for a number", "12", path)
		case bool:
			add("a string for a boolean", "true", path)
		case map[string]any:
			add("an array for an object", []any{}, path)
		case []any:
			add("an object for an array", map[string]any{}, path)
		}
	}
	switch x := v.(type) {
	case map[string]any:
		if s.AdditionalProperties.Schema == nil {
			*ms = append(*ms, mutation{path: path, desc: "an unknown member", expect: join(path, "zz_unknown"),
				apply: func() { x["zz_unknown"] = 1 }})
		}
		required := append([]string{}, s.Required...)
		for _, b := range s.OneOf {
			for _, r := range b.Value.Required {
				if _, ok := x[r]; ok {
					required = append(required, r)
				}
			}
		}
		for _, r := range required {
			if _, ok := x[r]; ok {
				*ms = append(*ms, mutation{path: path, desc: "a required member removed", expect: join(path, r),
					apply: func() { delete(x, r) }})
			}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ps := s.Properties[k]; ps != nil {
				g.mutations(ms, x[k], ps.Value, join(path, k), func(nv any) { x[k] = nv })
			} else if ap := s.AdditionalProperties.Schema; ap != nil {
				g.mutations(ms, x[k], ap.Value, join(path, k), func(nv any) { x[k] = nv })
			}
		}
	case []any:
		if s.MaxItems != nil && len(x) > 0 {
			more := append([]any{}, x...)
			for len(more) <= int(*s.MaxItems) {
				more = append(more, x[0])
			}
			add("one item too many", more, path)
		}
		if s.MinItems > 0 {
			add("too few items", []any{}, path)
		}
		for i := range x {
			g.mutations(ms, x[i], s.Items.Value, fmt.Sprintf("%s[%d]", path, i), func(nv any) { x[i] = nv })
		}
	case string:
		if len(s.Enum) > 0 {
			add("not one of the enum", "zz", path)
		}
		if s.MaxLength != nil {
			add("one character too many", strings.Repeat("x", int(*s.MaxLength)+1), path)
		}
		if s.Pattern != "" && s.Pattern != `\S` {
			add("not matching the pattern", "x!", path)
		}
		if s.Format == "date" {
			add("a day that does not exist", "2026-02-30", path)
		}
	case float64:
		if s.Max != nil {
			add("above the maximum", *s.Max+1, path)
		}
		if s.Min != nil {
			add("below the minimum", *s.Min-1, path)
		}
	}
}
