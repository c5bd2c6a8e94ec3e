package test

import (
	"regexp"
	"strings"
)

// The compatibility fixture was written before issue 15 (engine version 2)
// and runs on the reference data it was written with. Issue 15 changed two
// things on purpose, and only these may differ from testdata/v1.json:
//
//  1. A loan's borrower shows new_capacity (false for the fixture's loans).
//  2. A quote's eligibility checks end with rule 9,
//     new_capacity_at_benchmark (pass: no new capacity declared).
const fixtureRule9 = `{"rule":"new_capacity_at_benchmark","status":"pass","message_zh":"借款人未申报新建或扩建产能，不适用标杆水平要求","message_en":"the borrower declares no new or expanded capacity, so the benchmark-level requirement does not apply"}`

// fixtureSame reports whether a GET's body is what v1.json pinned, up to
// issue 15's changes above.
func fixtureSame(path, got, want string) bool {
	if strings.HasPrefix(path, "/v1/loans") {
		got = strings.ReplaceAll(got, `"new_capacity":false,`, "")
	}
	return got == want
}

// justTransition is the last (eighth) check of an engine-1 quote.
var justTransition = regexp.MustCompile(`\{"rule":"just_transition","status":"[a-z]+","message_zh":"[^"]*","message_en":"[^"]*"\}`)

// fixtureEngine2Quote is a quote response of v1.json with rule 9 added
// after the eighth check.
func fixtureEngine2Quote(want string) string {
	return justTransition.ReplaceAllStringFunc(want, func(m string) string { return m + "," + fixtureRule9 })
}
