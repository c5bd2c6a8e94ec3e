package api

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"tfpricing/pricing/canon"
)

// appendJSONString must write canon.AppendString's bytes (which its own
// test holds to encoding/json) for every string.
func TestAppendJSONStringMatches(t *testing.T) {
	check := func(s string) {
		t.Helper()
		got, want := appendJSONString([]byte("x"), s), canon.AppendString([]byte("x"), s)
		if string(got) != string(want) {
			t.Fatalf("appendJSONString(%q) = %q, AppendString %q", s, got, want)
		}
	}
	// Every byte at every place of two eight-byte words, among fillers
	// next to the values the word test looks for.
	fillers := []byte{' ', '!', '#', '[', ']', 0x7f, '~', 'A', 0x1f, 0x80}
	for _, f := range fillers {
		for b := range 256 {
			for p := range 17 {
				s := []byte(strings.Repeat(string(f), 17))
				s[p] = byte(b)
				check(string(s))
				check(string(s[:p+1]))
			}
		}
	}
	// Every three-byte sequence (lead E0–EF, any two bytes after it), at
	// every offset of a word, whole and cut short.
	for lead := 0xe0; lead <= 0xef; lead++ {
		for c1 := range 256 {
			for c2 := 0; c2 < 256; c2 += 1 + c1%3 {
				seq := string([]byte{byte(lead), byte(c1), byte(c2)})
				check(seq)
				check(seq[:2])
				check("abcdefg" + seq[:1])
				check(strings.Repeat("a", (c1+c2)%9) + seq + "b")
			}
		}
	}
	// Every rune below U+3100, and U+2028/U+2029, inside text.
	for r := rune(0); r < 0x3100; r++ {
		check("abc" + string(r) + "湖州 xyz")
	}
	for _, s := range []string{"", "湖州某化纤有限公司", "industry code C2822 is covered by catalogue industry C28 (Chemical fibre manufacturing)",
		"核心KPI为 pet_fdy_energy（涤纶FDY（熔体直纺）单位产品综合能耗），属于技术路径 C28-P01 的指标", "a\u2028b", "“引号”", "😀", "\xed\xa0\x80"} {
		check(s)
	}
	rng := rand.New(rand.NewPCG(18, 14))
	weighted := []byte{0xe0, 0xe1, 0xe2, 0xed, 0xef, 0x80, 0xbf, 0xa8, '"', '\\', 0x1f, ' ', 'a', 0x7f}
	for range 50000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			if rng.IntN(2) == 0 {
				b[i] = weighted[rng.IntN(len(weighted))]
			} else {
				b[i] = byte(rng.IntN(256))
			}
		}
		check(string(b))
	}
}

// The strings the responses carry take the verbatim path.
func TestVerbatimJSONTakesCleanText(t *testing.T) {
	for _, s := range []string{"", "a", "湖州某化纤有限公司", "pet_fdy_energy", "sha256:9319ff6dedf7d0e10f38f72142885ef931f49ed8f3641eb66bc659f8c3777767",
		"核心KPI为 pet_fdy_energy（涤纶FDY（熔体直纺）单位产品综合能耗），属于技术路径 C28-P01 的指标",
		"最终目标 66 kgce/t 较基准值 88 kgce/t 改善 25.00%，不低于技术路径 C28-P01 要求的 8%", "<&>~\x7f"} {
		if !verbatimJSON([]byte(s)) {
			t.Errorf("verbatimJSON(%q) = false", s)
		}
	}
	for _, s := range []string{"\"", "\\", "\x1f", "a\u2028", "é", "😀", "\xff", "湖"[:2], "12345678\"", "1234567\\", "\x00"} {
		if !utf8.ValidString(s) || strings.ContainsAny(s, "\"\\\x00\x1f\u2028") {
			if verbatimJSON([]byte(s)) {
				t.Errorf("verbatimJSON(%q) = true", s)
			}
		}
	}
}
