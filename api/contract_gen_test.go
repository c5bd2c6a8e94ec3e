package api_test

import (
	"fmt"
	"math/rand/v2"
	"regexp/syntax"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"

	"tfpricing"
	"tfpricing/catalog"
)

// A small, seeded generator of JSON values from the OpenAPI document's
// schemas, for the contract test: valid values exercise the whole space the
// schema allows (strings from their patterns, integers to their bounds,
// optional members present or not), and mutations make one value invalid
// in a way the schema says is invalid.

type schemaGen struct {
	r *rand.Rand
}

// value returns a random value valid for s.
func (g *schemaGen) value(s *openapi3.Schema) any {
	if len(s.OneOf) > 0 {
		branch := s.OneOf[g.r.IntN(len(s.OneOf))].Value
		return g.object(s, branch.Required)
	}
	switch {
	case s.Type.Is("object"):
		return g.object(s, nil)
	case s.Type.Is("array"):
		n := int(s.MinItems) + g.r.IntN(3)
		if s.MaxItems != nil && uint64(n) > *s.MaxItems {
			n = int(*s.MaxItems)
		}
		out := make([]any, n)
		for i := range out {
			out[i] = g.value(s.Items.Value)
		}
		return out
	case s.Type.Is("integer"):
		lo, hi := -1000.0, 1000.0
		if s.Min != nil {
			lo = *s.Min
		}
		if s.Max != nil {
			hi = *s.Max
		}
		switch g.r.IntN(4) { // the bounds often, anything between otherwise
		case 0:
			return int64(lo)
		case 1:
			return int64(hi)
		}
		return int64(lo) + g.r.Int64N(int64(hi-lo)+1)
	case s.Type.Is("boolean"):
		return g.r.IntN(2) == 0
	case s.Type.Is("string"):
		return g.str(s)
	}
	panic(fmt.Sprintf("no generator for schema type %v", s.Type))
}

func (g *schemaGen) object(s *openapi3.Schema, required []string) map[string]any {
	out := map[string]any{}
	need := map[string]bool{}
	for _, r := range append(append([]string{}, s.Required...), required...) {
		need[r] = true
	}
	names := make([]string, 0, len(s.Properties))
	for name := range s.Properties {
		names = append(names, name)
	}
	sort.Strings(names) // deterministic for a seed
	if ap := s.AdditionalProperties.Schema; ap != nil {
		for i := range int(s.MinProps) + g.r.IntN(3) {
			out[fmt.Sprintf("k%d", i)] = g.value(ap.Value)
		}
	}
	for _, name := range names {
		if need[name] || g.r.IntN(2) == 0 {
			if !need[name] && len(s.OneOf) > 0 && isOneOfMember(s, name) {
				continue // the other branch's member
			}
			out[name] = g.value(s.Properties[name].Value)
		}
	}
	return out
}

func isOneOfMember(s *openapi3.Schema, name string) bool {
	for _, b := range s.OneOf {
		for _, r := range b.Value.Required {
			if r == name {
				return true
			}
		}
	}
	return false
}

// str returns a string valid for s: an enum member, a random date for
// format date, a USCC with its check character for format uscc, a string
// matching the pattern, or free text within the length bounds.
func (g *schemaGen) str(s *openapi3.Schema) string {
	if len(s.Enum) > 0 {
		return s.Enum[g.r.IntN(len(s.Enum))].(string)
	}
	if s.Format == "date" {
		lo, hi := 1990, 2050
		if strings.HasPrefix(s.Pattern, "^[0-9]{4}") {
			lo, hi = 2000, 2040
		}
		d := tfpricing.NewDate(lo+g.r.IntN(hi-lo+1), 1, 1).AddDays(g.r.IntN(365))
		return d.String()
	}
	if s.Pattern != "" {
		for range 100 {
			v := g.match(s.Pattern)
			if s.Format == "uscc" {
				v = withCheckCharacter(v)
			}
			if n := uint64(utf8.RuneCountInString(v)); n >= s.MinLength && (s.MaxLength == nil || n <= *s.MaxLength) {
				return v
			}
		}
		panic("no string for pattern " + s.Pattern)
	}
	n := int(s.MinLength) + g.r.IntN(12)
	if s.MaxLength != nil && g.r.IntN(4) == 0 {
		n = int(*s.MaxLength) // at the bound
	} else if s.MaxLength != nil && uint64(n) > *s.MaxLength {
		n = int(*s.MaxLength)
	}
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789 -_湖州化纤印染"
	runes := []rune(letters)
	var b strings.Builder
	for i := range n {
		r := runes[g.r.IntN(len(runes))]
		if r == ' ' && (i == 0 || i == n-1) {
			r = 'x' // not blank, not padded
		}
		b.WriteRune(r)
	}
	return b.String()
}

// withCheckCharacter replaces the last character of a USCC-shaped string
// with the check character of the first 17.
func withCheckCharacter(v string) string {
	const charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	for _, c := range charset {
		cand := v[:17] + string(c)
		if catalog.ValidateUSCC(cand) == nil {
			return cand
		}
	}
	return v
}

// match returns a random string matching a regular expression.
func (g *schemaGen) match(pattern string) string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		panic(err)
	}
	var b strings.Builder
	g.walk(&b, re.Simplify())
	return b.String()
}

func (g *schemaGen) walk(b *strings.Builder, re *syntax.Regexp) {
	switch re.Op {
	case syntax.OpLiteral:
		b.WriteString(string(re.Rune))
	case syntax.OpCharClass:
		// Pick a range, then a rune in it; keep to printable ASCII and CJK
		// so a negated class does not yield control characters.
		for range 50 {
			i := g.r.IntN(len(re.Rune) / 2)
			lo, hi := re.Rune[2*i], re.Rune[2*i+1]
			if hi > 0x9fff {
				hi = 0x9fff
			}
			if lo > hi {
				continue
			}
			r := lo + rune(g.r.IntN(int(hi-lo)+1))
			if (r >= '!' && r <= '~') || (r >= 0x4e00 && r <= 0x9fff) {
				b.WriteRune(r)
				return
			}
		}
		b.WriteRune('x')
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteRune(rune('a' + g.r.IntN(26)))
	case syntax.OpCapture:
		g.walk(b, re.Sub[0])
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			g.walk(b, sub)
		}
	case syntax.OpAlternate:
		g.walk(b, re.Sub[g.r.IntN(len(re.Sub))])
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		lo, hi := 0, 6
		switch re.Op {
		case syntax.OpPlus:
			lo = 1
		case syntax.OpQuest:
			hi = 1
		case syntax.OpRepeat:
			lo, hi = re.Min, re.Max
			if hi < 0 {
				hi = lo + 6
			}
		}
		for range lo + g.r.IntN(hi-lo+1) {
			g.walk(b, re.Sub[0])
		}
	case syntax.OpEmptyMatch, syntax.OpBeginText, syntax.OpEndText, syntax.OpBeginLine, syntax.OpEndLine:
	default:
		panic(fmt.Sprintf("regexp op %v not supported", re.Op))
	}
}
