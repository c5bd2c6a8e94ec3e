package catalog_test

import (
	"errors"
	"strings"
	"testing"

	"tfpricing/catalog"
)

// Valid codes, checked by hand. Character values are their index in
// 0123456789ABCDEFGHJKLMNPQRTUWXY (A=10 … H=17, J=18, … N=22, … Y=30);
// weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28;
// C = 31 − (Σ mod 31), 31 written as '0'.
//
//	91350100M000100Y4|3 (GB 32100-2015's example)
//	  9·1+1·3+3·9+5·27+0·19+1·26+0·16+0·17+M21·20+0·29+0·25+0·13+1·8+0·24+0·10+Y30·30+4·28
//	  = 9+3+27+135+26+420+8+900+112 = 1640; 1640 mod 31 = 28 (31·52 = 1612); C = 3 → '3'
//	91330502MA2B3C4D5|8
//	  9+3+27+81+0+130+0+34+M21·20=420+A10·29=290+2·25=50+B11·13=143+3·8=24+C12·24=288
//	  +4·10=40+D13·30=390+5·28=140 = 2069; 2069 − 31·66 = 23; C = 8 → '8'
//	12330500002345678|C
//	  1+6+27+81+0+130+0+0+0+0+50+39+32+120+60+210+224 = 980; 980 − 31·31 = 19;
//	  C = 12 → 'C'
//	5133050000000000A|1
//	  5+3+27+81+130+A10·28=280 = 526; 526 − 31·16 = 30; C = 1 → '1'
//	91330500MA2B3C4DN|0   (Σ divisible by 31: C = 31 is written '0')
//	  9+3+27+81+0+130+0+0+M21·20=420+A10·29=290+50+B11·13=143+24+C12·24=288+40
//	  +D13·30=390+N22·28=616 = 2511 = 31·81; C = 31 → '0'
//	91330500MA2B3C4D1|Y   (C = 30, the last character of the alphabet)
//	  2511 − 616 + 1·28 = 1923; 1923 − 31·62 = 1; C = 30 → 'Y'
var validUSCCs = []string{
	"91350100M000100Y43",
	"91330502MA2B3C4D58",
	"12330500002345678C",
	"5133050000000000A1",
	"91330500MA2B3C4DN0",
	"91330500MA2B3C4D1Y",
}

func TestValidateUSCCValid(t *testing.T) {
	for _, s := range validUSCCs {
		if err := catalog.ValidateUSCC(s); err != nil {
			t.Errorf("ValidateUSCC(%s) = %v, want valid", s, err)
		}
	}
}

func TestValidateUSCCInvalid(t *testing.T) {
	cases := []struct {
		name, in, code, msg string
	}{
		{"empty", "", catalog.USCCRequired, "required"},
		{"17 characters", "91350100M000100Y4", catalog.USCCLength, "must be 18 characters, got 17"},
		{"19 characters", "91350100M000100Y430", catalog.USCCLength, "must be 18 characters, got 19"},
		{"18 bytes but 16 characters", "91350100M000100统", catalog.USCCLength, "got 16"},
		{"lower case", "91350100m000100Y43", catalog.USCCLowerCase, "upper case"},
		{"letter I", "91350100I000100Y43", catalog.USCCCharacter, `'I' at position 9 is not allowed`},
		{"letter O", "91350100M000100O43", catalog.USCCCharacter, `'O' at position 16 is not allowed`},
		{"letter S", "91350100S000100Y43", catalog.USCCCharacter, `'S' at position 9`},
		{"punctuation", "91350100M-00100Y43", catalog.USCCCharacter, `'-' at position 10`},
		{"non-ASCII at length 18", "91350100M000100Y4统", catalog.USCCCharacter, "position 18"},
		{"letter in the division code", "91A50100M000100Y43", catalog.USCCDivision, "position 3"},
		{"wrong check character", "91350100M000100Y44", catalog.USCCCheckCharacter, "check character '4' does not match"},
		{"transposed digits", "91351000M000100Y43", catalog.USCCCheckCharacter, "check character"},
		{"check 0 expected, Y given", "91330500MA2B3C4DNY", catalog.USCCCheckCharacter, "check character 'Y'"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := catalog.ValidateUSCC(tc.in)
			var ue *catalog.USCCError
			if !errors.As(err, &ue) {
				t.Fatalf("ValidateUSCC(%q) = %v, want a *USCCError", tc.in, err)
			}
			if ue.Code != tc.code || !strings.Contains(ue.Message, tc.msg) {
				t.Errorf("got %s %q, want %s containing %q", ue.Code, ue.Message, tc.code, tc.msg)
			}
		})
	}
}

// refCheckChar is an independent statement of GB 32100-2015's rule for the
// fuzz oracle: weights are 3^(i−1) mod 31.
func refCheckChar(first17 string) (byte, bool) {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	sum, w := 0, 1
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(alphabet, first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * w
		w = w * 3 % 31
	}
	return alphabet[(31-sum%31)%31], true
}

func FuzzValidateUSCC(f *testing.F) {
	for _, s := range validUSCCs {
		f.Add(s)
	}
	for _, s := range []string{"", "91350100M000100Y44", "91350100m000100Y43", "9135010OM000100Y43", "统一社会信用代码统一社会信用代码统一", "\xff\xfe91350100M000100Y4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := catalog.ValidateUSCC(s)
		want, ok := byte(0), len(s) == 18
		if ok {
			want, ok = refCheckChar(s[:17])
		}
		ok = ok && s[17] == want && strings.Trim(s[2:8], "0123456789") == ""
		if (err == nil) != ok {
			t.Fatalf("ValidateUSCC(%q) = %v, but the reference says valid=%v", s, err, ok)
		}
		if err != nil {
			var ue *catalog.USCCError
			if !errors.As(err, &ue) || ue.Message == "" {
				t.Fatalf("ValidateUSCC(%q) = %v, want a *USCCError with a message", s, err)
			}
		}
	})
}
