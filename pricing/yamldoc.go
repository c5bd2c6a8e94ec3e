package pricing

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"

	"tfpricing"
	"tfpricing/pricing/canon"
)

// docReader walks a YAML (or JSON) document node by node instead of letting
// the YAML library decode into structs: struct decoding stops at the first
// bad scalar and reports line numbers, while an operator fixing a policy or
// an LPR file needs every problem at once, named by its path.
type docReader struct {
	fields []tfpricing.FieldError
}

// entry is one key of a mapping, kept in document order.
type entry struct {
	key string
	val *yaml.Node
}

// parseDecimal parses a decimal written as canon.IsPlainDecimal requires:
// exponents such as "1e999999" would be accepted by decimal.NewFromString
// and then blow up every later rescale.
func parseDecimal(s string) (decimal.Decimal, error) {
	if !canon.IsPlainDecimal(s) {
		return decimal.Decimal{}, fmt.Errorf("%q is not a plain decimal number", s)
	}
	return decimal.NewFromString(s)
}

// parseRoot decodes data into its root node and refuses anything but a single
// mapping document, so a stray second document cannot hide in a file.
func parseRoot(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the document is empty")
		}
		return nil, fmt.Errorf("the document is not well-formed YAML: %v", err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("the file must hold exactly one YAML document")
	}
	root := deref(&doc)
	if root != nil && root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = deref(root.Content[0])
	}
	if root == nil || root.Kind != yaml.MappingNode {
		return nil, errors.New("the document must be a mapping")
	}
	return root, nil
}

// deref follows aliases; the depth bound guards against alias cycles.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 8; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	return n
}

func (r *docReader) fail(path, code, format string, args ...any) {
	r.fields = append(r.fields, tfpricing.FieldError{Field: path, Code: code, Message: fmt.Sprintf(format, args...)})
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// entries returns the keys of a mapping in document order, reporting
// duplicates and, when known is not nil, keys outside it.
func (r *docReader) entries(n *yaml.Node, path string, known []string) []entry {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		r.fail(path, "type", "must be a mapping")
		return nil
	}
	var out []entry
	seen := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := deref(n.Content[i])
		if k == nil || k.Kind != yaml.ScalarNode {
			r.fail(path, "type", "keys must be scalars")
			continue
		}
		p := join(path, k.Value)
		switch {
		case seen[k.Value]:
			r.fail(p, "duplicate", "is given more than once")
		case known != nil && !contains(known, k.Value):
			r.fail(p, "unknown", "is not a known field")
		default:
			seen[k.Value] = true
			out = append(out, entry{key: k.Value, val: n.Content[i+1]})
		}
	}
	return out
}

// fieldsOf returns a lookup of a fixed-schema mapping and reports every
// schema key that is missing; all keys of such mappings are required.
func (r *docReader) fieldsOf(n *yaml.Node, path string, keys ...string) map[string]*yaml.Node {
	if d := deref(n); d == nil || d.Kind != yaml.MappingNode {
		if n != nil {
			r.fail(path, "type", "must be a mapping")
		}
		return nil
	}
	es := r.entries(n, path, keys)
	m := make(map[string]*yaml.Node, len(es))
	for _, e := range es {
		m[e.key] = e.val
	}
	for _, k := range keys {
		if m[k] == nil {
			r.fail(join(path, k), "required", "is required")
		}
	}
	return m
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// scalar returns the text of a non-null scalar node.
func (r *docReader) scalar(n *yaml.Node, path string) (string, bool) {
	if n == nil {
		return "", false // already reported as required
	}
	n = deref(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		r.fail(path, "type", "must be a single value")
		return "", false
	}
	return n.Value, true
}

func (r *docReader) text(n *yaml.Node, path string) string {
	s, ok := r.scalar(n, path)
	if ok && strings.TrimSpace(s) == "" {
		r.fail(path, "required", "must not be empty")
	}
	return s
}

func (r *docReader) integer(n *yaml.Node, path string, lo, hi int) int {
	s, ok := r.scalar(n, path)
	if !ok {
		return 0
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < lo || v > hi {
		r.fail(path, "range", "must be a whole number from %d to %d", lo, hi)
		return 0
	}
	return v
}

func (r *docReader) decimal(n *yaml.Node, path string) decimal.Decimal {
	s, ok := r.scalar(n, path)
	if !ok {
		return decimal.Decimal{}
	}
	d, err := parseDecimal(s)
	if err != nil {
		r.fail(path, "decimal", "must be a decimal number such as \"3.45\"")
	}
	return d
}

func (r *docReader) date(n *yaml.Node, path string) tfpricing.Date {
	s, ok := r.scalar(n, path)
	if !ok {
		return tfpricing.Date{}
	}
	d, err := tfpricing.ParseDate(s)
	if err != nil {
		r.fail(path, "date", "must be a date of the form YYYY-MM-DD")
	}
	return d
}

// sequence returns the items of a sequence node.
func (r *docReader) sequence(n *yaml.Node, path string) []*yaml.Node {
	if n == nil {
		return nil
	}
	n = deref(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		r.fail(path, "type", "must be a list")
		return nil
	}
	return n.Content
}

// invalidDoc wraps the collected problems of document name.
func (r *docReader) invalidDoc(kind, name string) error {
	if len(r.fields) == 0 {
		return nil
	}
	return &tfpricing.Error{
		Code:    tfpricing.EINVALID,
		Message: fmt.Sprintf("%s document %q is invalid", kind, name),
		Fields:  r.fields,
	}
}
