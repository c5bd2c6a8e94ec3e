package pricing

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeterminismGuard fails when the pricing package reads the clock,
// computes in floating point or touches decimal's global settings
// (DESIGN.md §2): a decision must replay to the byte years later, so its
// computation may depend on nothing but its recorded inputs.
//
// The one floating-point step allowed is the Monte Carlo draw in
// simulate_mc.go, rounded to a six-decimal integer at once; simulations are
// recorded, not replayed. The portfolio simulation's copula draws are kept
// in booksim_draw.go, whose floats decide only met or missed.
func TestDeterminismGuard(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]int{"simulate_mc.go: NormFloat64": 1, "simulate_mc.go: math.Round": 1, "simulate_mc.go: float literal 1e6": 1}
	found := map[string]int{}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		test := strings.HasSuffix(name, "_test.go")
		ast.Inspect(f, func(n ast.Node) bool {
			var what string
			switch x := n.(type) {
			case *ast.SelectorExpr:
				pkg, _ := x.X.(*ast.Ident)
				switch {
				case pkg != nil && pkg.Name == "decimal" && x.Sel.Name == "DivisionPrecision":
					what = "decimal.DivisionPrecision" // forbidden in tests too: it is global
				case test:
				case pkg != nil && pkg.Name == "time" && (x.Sel.Name == "Now" || x.Sel.Name == "Since" || x.Sel.Name == "Until"):
					what = "time." + x.Sel.Name
				case pkg != nil && pkg.Name == "math":
					what = "math." + x.Sel.Name
				case strings.Contains(x.Sel.Name, "Float"):
					what = x.Sel.Name
				}
			case *ast.Ident:
				if !test && (x.Name == "float64" || x.Name == "float32") {
					what = x.Name
				}
			case *ast.BasicLit:
				if !test && x.Kind == token.FLOAT {
					what = "float literal " + x.Value
				}
			}
			if what != "" {
				if name == "booksim_draw.go" {
					return true
				}
				key := name + ": " + what
				if found[key]++; found[key] > allowed[key] {
					t.Errorf("%s: %s", fset.Position(n.Pos()), what)
				}
			}
			return true
		})
	}
}
