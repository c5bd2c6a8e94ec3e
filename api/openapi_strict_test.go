package api_test

import (
	"context"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// The document is valid OpenAPI 3.0.3 for strict readers too: examples
// match their schemas, and nullable never stands beside a schema without a
// type (an allOf with nullable: true is not nullable in 3.0.3).
func TestOpenAPIStrict(t *testing.T) {
	doc, _ := contract(t)
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation(), openapi3.EnableSchemaPatternValidation()); err != nil {
		t.Fatalf("strict validation: %v", err)
	}
	var visit func(name string, s *openapi3.SchemaRef, seen map[*openapi3.Schema]bool)
	visit = func(name string, ref *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		if s.Nullable && (s.Type == nil || len(*s.Type) == 0) {
			t.Errorf("%s: nullable without a type", name)
		}
		for n, p := range s.Properties {
			visit(name+"."+n, p, seen)
		}
		for _, group := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
			for _, sub := range group {
				visit(name+"/of", sub, seen)
			}
		}
		visit(name+"[]", s.Items, seen)
		if s.AdditionalProperties.Schema != nil {
			visit(name+"{}", s.AdditionalProperties.Schema, seen)
		}
	}
	for name, s := range doc.Components.Schemas {
		visit(name, s, map[*openapi3.Schema]bool{})
	}
}

// Every operation documents the statuses the server's middleware can give
// it: 400 (a query parameter without a value, ?as_of=), 401 and 429 when it
// needs a key, 413 and 415 when it takes a body, 422 when it takes as_of.
func TestOpenAPIStatusesDocumented(t *testing.T) {
	doc, _ := contract(t)
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			want := []string{"400"}
			if op.Security == nil || len(*op.Security) > 0 {
				want = append(want, "401", "429")
			}
			if op.RequestBody != nil {
				want = append(want, "413", "415")
			}
			for _, p := range op.Parameters {
				if p.Value.Name == "as_of" {
					want = append(want, "422")
				}
			}
			for _, code := range want {
				if op.Responses.Value(code) == nil {
					t.Errorf("%s %s does not document %s", method, path, code)
				}
			}
		}
	}
}
