package canon

import (
	"strings"
	"testing"
)

// The plain-decimal rule at each of its edges, including the length bound
// at exactly MaxDecimalLen characters and one more.
func TestIsPlainDecimal(t *testing.T) {
	at := strings.Repeat("9", MaxDecimalLen)
	for s, want := range map[string]bool{
		"0": true, "85": true, "-0.35": true, "3.8500": true, "007": true, at: true, "-" + at[1:]: true,
		at + "9": false, "-" + at: false, "": false, "-": false, ".5": false, "5.": false, "+5": false,
		"1e9": false, "1E9": false, "1.2.3": false, " 1": false, "1 ": false, "0x1": false, "١": false, "--1": false,
	} {
		if got := IsPlainDecimal(s); got != want {
			t.Errorf("IsPlainDecimal(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestTrimDecimal(t *testing.T) {
	for in, want := range map[string]string{"85.50": "85.5", "85.00": "85", "0.0": "0", "100": "100", "-0.10": "-0.1", "10": "10"} {
		if got := TrimDecimal(in); got != want {
			t.Errorf("TrimDecimal(%q) = %q, want %q", in, got, want)
		}
	}
}

// Digest is SHA-256 in lower-case hex: the digest of the empty text is the
// standard test vector e3b0c442….
func TestDigest(t *testing.T) {
	if got := Digest(nil); got != "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Errorf("Digest(nil) = %s", got)
	}
}
