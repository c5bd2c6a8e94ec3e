package catalog

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// USCC problem codes, one per kind of mistake so a caller can map them to
// field error codes and a client can tell a typo from a wrong-format value.
const (
	USCCRequired       = "required"
	USCCLength         = "length"
	USCCLowerCase      = "lower_case"
	USCCCharacter      = "character"
	USCCDivision       = "division"
	USCCCheckCharacter = "check_character"
)

// USCCError explains why a string is not a unified social credit code.
type USCCError struct {
	Code    string // one of the USCC* codes
	Message string
}

// Error returns the message.
func (e *USCCError) Error() string { return "uscc: " + e.Message }

// usccCharset is GB 32100-2015's code alphabet: digits and the capitals
// without I, O, S, V and Z, which are too easily misread. A character's
// index here is its value in the check-character computation.
const usccCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// ValidateUSCC checks a unified social credit code (统一社会信用代码,
// GB 32100-2015): 18 characters from the code alphabet, positions 3–8 the
// administrative division (digits), and a check character at position 18.
// It returns a *USCCError or nil. Lower case is refused rather than folded:
// the code is a legal identifier and is stored exactly as registered.
func ValidateUSCC(s string) error {
	if s == "" {
		return &USCCError{USCCRequired, "the unified social credit code is required"}
	}
	if n := utf8.RuneCountInString(s); n != 18 {
		return &USCCError{USCCLength, fmt.Sprintf("must be 18 characters, got %d", n)}
	}
	runes := []rune(s)
	for i, r := range runes {
		if r >= 'a' && r <= 'z' {
			return &USCCError{USCCLowerCase, fmt.Sprintf(
				"must be upper case: %q at position %d is lower case", r, i+1)}
		}
	}
	for i, r := range runes {
		if r >= utf8.RuneSelf || strings.IndexByte(usccCharset, byte(r)) < 0 {
			return &USCCError{USCCCharacter, fmt.Sprintf(
				"%q at position %d is not allowed: only digits and upper-case letters other than I, O, S, V, Z", r, i+1)}
		}
	}
	for i := 2; i < 8; i++ {
		if s[i] < '0' || s[i] > '9' {
			return &USCCError{USCCDivision, fmt.Sprintf(
				"positions 3–8 are the administrative division code and must be digits; position %d is %q", i+1, s[i])}
		}
	}
	if want := usccCheckChar(s[:17]); s[17] != want {
		return &USCCError{USCCCheckCharacter, fmt.Sprintf(
			"check character %q does not match the first 17 characters; the code is mistyped", s[17])}
	}
	return nil
}

// usccCheckChar computes the 18th character from the first 17, which must
// all be in the code alphabet: C = 31 − (Σ value·weight mod 31), with 31
// written as '0'.
func usccCheckChar(first17 string) byte {
	// The standard's weights, 3^(i−1) mod 31 for positions i = 1–17.
	weights := [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(usccCharset, first17[i]) * weights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return usccCharset[c]
}

// ValidIndustryCode reports whether code has the GB/T 4754-2017 form used by
// the catalogue and by borrowers: a section letter A–T followed by 2 to 4
// digits (division, group or class), e.g. "C28", "C2822".
func ValidIndustryCode(code string) bool {
	if len(code) < 3 || len(code) > 5 || code[0] < 'A' || code[0] > 'T' {
		return false
	}
	for i := 1; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return false
		}
	}
	return true
}
