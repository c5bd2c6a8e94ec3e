package api

import "testing"

// escapeLen measures a JSON escape after its backslash: one byte for the
// short escapes, five for \uXXXX with four hex digits, 0 for anything JSON
// refuses. The cases sit at the boundary of a \u escape cut short at the
// very end of a body (four bytes: refused; five: taken).
func TestEscapeLen(t *testing.T) {
	for in, want := range map[string]int{
		"": 0, "x": 0, "n": 1, `"`: 1, `\`: 1, "/": 1,
		"u": 0, "u1": 0, "u12": 0, "u123": 0, // cut short before the fourth hex digit
		"u1234": 5, "uABcd": 5, "u12345": 5, "u12g4": 0, "u123}": 0,
	} {
		if got := escapeLen([]byte(in)); got != want {
			t.Errorf("escapeLen(%q) = %d, want %d", in, got, want)
		}
	}
}
