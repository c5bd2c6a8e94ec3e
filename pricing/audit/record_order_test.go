package audit

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// asWritten lists the files whose records are not written by canon.Marshal.
var asWritten = map[string]bool{"record_request.go": true, "record_simulation.go": true}

// TestRecordKeysDeclaredSorted holds marshalSorted's precondition: every
// struct of the package with JSON tags declares its fields in the byte order
// of their keys (an embedded docVersion counting as "v"), and embeds no
// other struct, because encoding/json writes fields in declaration order
// and the records are hashed in canonical (sorted) form. It reads the
// package's source, so a new record type is covered without being listed.
//
// The request and simulation records (asWritten) are exempt: a stored
// quote's request is kept in the order it has always been written, and a
// simulation's records are canonicalised when their decision is sealed.
func TestRecordKeysDeclaredSorted(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || asWritten[name] {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			spec, ok := n.(*ast.TypeSpec)
			if !ok {
				return true
			}
			st, ok := spec.Type.(*ast.StructType)
			if !ok {
				return true
			}
			keys, tagged := recordKeys(t, spec.Name.Name, st)
			if !tagged {
				return true
			}
			checked++
			for i := 1; i < len(keys); i++ {
				if keys[i] <= keys[i-1] {
					t.Errorf("%s (%s): key %q is declared after %q; declare fields in sorted key order",
						spec.Name.Name, name, keys[i], keys[i-1])
				}
			}
			return true
		})
	}
	if checked < 20 {
		t.Fatalf("only %d record structs found; is the test reading the package?", checked)
	}
}

// recordKeys lists a struct's JSON keys in declaration order and whether
// any field has a JSON tag.
func recordKeys(t *testing.T, typeName string, st *ast.StructType) (keys []string, tagged bool) {
	var embedded []string
	defer func() {
		if tagged {
			for _, e := range embedded {
				t.Errorf("%s embeds %s: its fields could not be interleaved in key order", typeName, e)
			}
		}
	}()
	for _, fl := range st.Fields.List {
		key := ""
		if fl.Tag != nil {
			tag, _ := strconv.Unquote(fl.Tag.Value)
			if j := reflect.StructTag(tag).Get("json"); j != "" {
				tagged, key = true, strings.Split(j, ",")[0]
			}
		}
		if len(fl.Names) == 0 && key == "" {
			if id, ok := fl.Type.(*ast.Ident); ok && id.Name == "docVersion" {
				key = "v"
			} else {
				embedded = append(embedded, fmt.Sprint(fl.Type))
			}
		}
		if key == "-" {
			continue
		}
		keys = append(keys, key)
	}
	return keys, tagged
}
