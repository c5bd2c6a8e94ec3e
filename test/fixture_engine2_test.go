package test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// The compatibility fixture was written before issue 15 (engine version 2).
// Issue 15 changed three things on purpose, and only these are allowed to
// differ from testdata/v1.json:
//
//  1. Start-up loads the catalogue history (2.0 as revised, 2.1, 2.2):
//     and policy 2027.1: catalogue_load and policy_load decisions appended
//     after the fixture's chain head (seq 18). Every decision up to the head keeps its bytes and hash.
//  2. A loan's borrower shows new_capacity (false for the fixture's loans).
//  3. A fresh data file prices the Appendix A quote under the revised
//     catalogue 2.0 with rule 9 new_capacity_at_benchmark, after five
//     reference loads (three catalogues, two policies) instead of two.
const (
	fixtureHeadSeq        = 18
	fixtureCatalogue20Old = "sha256:57b6db17a71ecf8b129cb092bd6ae9ebd7cd5005f8b11c0c19711db023556974"
	fixtureCatalogue20New = "sha256:6ba4d7d00ba828e68e69a0be7aabf31552ca31d317fd3513f56fd5f41e2f1d75"
	fixtureRule9          = `,{"rule":"new_capacity_at_benchmark","status":"pass","message_zh":"借款人未申报新建或扩建产能，不适用标杆水平要求","message_en":"the borrower declares no new or expanded capacity, so the benchmark-level requirement does not apply"}`
)

// fixtureSame reports whether a GET's body is what v1.json pinned, up to
// issue 15's changes above.
func fixtureSame(t *testing.T, path, got, want string) bool {
	t.Helper()
	switch {
	case strings.HasPrefix(path, "/v1/decisions?"):
		return fixtureSameChain(t, got, want)
	case path == "/v1/audit/verify":
		var v struct {
			OK      bool   `json:"ok"`
			Checked uint64 `json:"checked"`
			Broken  *int   `json:"first_broken_seq"`
		}
		return json.Unmarshal([]byte(got), &v) == nil && v.OK && v.Broken == nil && v.Checked > fixtureHeadSeq
	case strings.HasPrefix(path, "/v1/loans"):
		return strings.ReplaceAll(got, `"new_capacity":false,`, "") == want
	}
	return got == want
}

// fixtureSameChain requires the first fixtureHeadSeq items byte-identical
// and every later one a catalogue load.
func fixtureSameChain(t *testing.T, got, want string) bool {
	t.Helper()
	var g, w struct{ Items []json.RawMessage }
	if json.Unmarshal([]byte(got), &g) != nil || json.Unmarshal([]byte(want), &w) != nil || len(g.Items) <= len(w.Items) {
		return false
	}
	for i := range w.Items {
		if !bytes.Equal(g.Items[i], w.Items[i]) {
			return false
		}
	}
	for _, it := range g.Items[len(w.Items):] {
		var d struct{ Kind string }
		if json.Unmarshal(it, &d) != nil || (d.Kind != "catalogue_load" && d.Kind != "policy_load") {
			t.Logf("decision after the fixture's head: %s", it)
			return false
		}
	}
	return true
}

// fixtureExportPrefix is the export's first fixtureHeadSeq records: the
// bytes the fixture's SHA-256 covers.
func fixtureExportPrefix(b []byte) []byte {
	end := 0
	for range fixtureHeadSeq {
		i := bytes.IndexByte(b[end:], '\n')
		if i < 0 {
			return b
		}
		end += i + 1
	}
	return b[:end]
}

// fixtureAppendixQuote is v1.json's Appendix A quote under engine version 2.
func fixtureAppendixQuote(want string) string {
	s := strings.ReplaceAll(want, fixtureCatalogue20Old, fixtureCatalogue20New)
	s = strings.Replace(s, `"decision_id":"3"`, fmt.Sprintf(`"decision_id":"%d"`, 6), 1)
	const jt = `"message_en":"just-transition score 72 meets the minimum 60"}`
	return strings.Replace(s, jt, jt+fixtureRule9, 1)
}

// fixtureUnderRevised20 is a decision of the fixture's, as the same event
// decided today under the revised catalogue 2.0 is recorded: only the
// catalogue digest differs, and with it the output digest.
func fixtureUnderRevised20(then map[string]json.RawMessage) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(then))
	for k, v := range then {
		out[k] = json.RawMessage(strings.ReplaceAll(string(v), fixtureCatalogue20Old, fixtureCatalogue20New))
	}
	sum := sha256.Sum256(out["outputs"])
	out["output_digest"] = json.RawMessage(`"sha256:` + hex.EncodeToString(sum[:]) + `"`)
	return out
}

// fixtureCatalogue22 is catalogue 2.2's digest: in force on 2026-11-27,
// the day DESIGN.md §7's quote is priced on.
const fixtureCatalogue22 = "sha256:9319ff6dedf7d0e10f38f72142885ef931f49ed8f3641eb66bc659f8c3777767"

// fixtureGoldenQuote is v1.json's DESIGN.md §7 quote under engine version
// 2: priced under catalogue 2.2 (in force on its day), with rule 9, after
// five reference loads instead of two.
func fixtureGoldenQuote(want string) string {
	s := strings.ReplaceAll(want, `"version":"2.0","digest":"`+fixtureCatalogue20Old, `"version":"2.2","digest":"`+fixtureCatalogue22)
	return fixtureAppendixQuote(s)
}
