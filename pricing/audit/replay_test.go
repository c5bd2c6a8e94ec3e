package audit

import (
	"bytes"
	"strings"
	"testing"

	"tfpricing"
	"tfpricing/pricing"
)

func replay(t testing.TB, d Decision, docs Documents) ReplayResult {
	t.Helper()
	res, err := Replay(d, docs)
	if err != nil {
		t.Fatalf("replay of decision %d (%s): %v", d.Seq, d.Kind, err)
	}
	return res
}

func wantMatch(t *testing.T, d Decision, res ReplayResult) {
	t.Helper()
	if !res.Match || res.DecisionSeq != d.Seq || res.RecordedDigest != d.OutputDigest ||
		res.ReplayedDigest != d.OutputDigest || len(res.Differences) != 0 {
		t.Errorf("%s decision does not replay: %+v", d.Kind, res)
	}
}

// redecode stores and reads back a record, as replay from the store does.
func redecode(t testing.TB, d Decision) Decision {
	t.Helper()
	got, err := DecodeDecision(d.CanonicalBytes())
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestReplayMatches(t *testing.T) {
	docs := shippedDocs(t)
	for _, d := range []Decision{quoteDecision(t, 1, GenesisHash), attestationDecision(t, 2, strings.Repeat("e", 64))} {
		wantMatch(t, d, replay(t, d, docs))
		wantMatch(t, d, replay(t, redecode(t, d), docs))
	}
	c, p := shippedCatalogue(t), shippedPolicy(t)
	cl, err := CatalogueLoadDecision(c)
	if err != nil {
		t.Fatal(err)
	}
	cl.Seq, cl.RecordedAt = 3, fixtureTime
	for _, d := range []Decision{reseal(t, cl, strings.Repeat("f", 64)), policyLoad(t, p, 4, strings.Repeat("f", 64))} {
		wantMatch(t, d, replay(t, redecode(t, d), docs))
	}
}

// A booking has no previous schedule and so no changes; an ineligible
// quote records its assessment and a null quote. Both replay.
func TestReplayBookingAndIneligibleQuote(t *testing.T) {
	docs, p, c := shippedDocs(t), shippedPolicy(t), shippedCurve(t)
	s, err := pricing.Compute(pricing.Input{Terms: appendixTerms(), Policy: p, Curve: c, AsOf: day("2023-07-01")})
	if err != nil {
		t.Fatal(err)
	}
	in, err := NewLoanInputs("L-2", appendixTerms(), nil, day("2023-07-01"), map[string]string{"quote_id": "Q-9"}, pricing.Schedule{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := in.Decision(DecisionBooking, s, p.Ref(), shippedCatalogue(t).Ref())
	if err != nil {
		t.Fatal(err)
	}
	d.Seq, d.QuoteID, d.RecordedAt = 1, "Q-9", fixtureTime
	d = reseal(t, d, GenesisHash)
	if !bytes.Contains(d.Outputs, []byte(`"changes":[]`)) {
		t.Errorf("booking outputs: %.80s", d.Outputs)
	}
	wantMatch(t, d, replay(t, redecode(t, d), docs))

	cat := shippedCatalogue(t)
	plan := quotePlan()
	plan.Borrower.ObsoleteCapacity = true
	a := cat.Assess(plan)
	q, err := NewQuoteInputs(plan, quoteTerms(), plan.AsOf).Decision(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	q.Seq, q.RecordedAt = 2, fixtureTime
	q = reseal(t, q, d.Hash)
	if a.Eligible || q.Policy != nil || !bytes.Contains(q.Outputs, []byte(`"quote":null`)) {
		t.Errorf("ineligible quote decision: eligible %v policy %v", a.Eligible, q.Policy)
	}
	wantMatch(t, q, replay(t, redecode(t, q), docs))
}

func differencePaths(res ReplayResult) map[string]Difference {
	m := make(map[string]Difference, len(res.Differences))
	for _, d := range res.Differences {
		m[d.Path] = d
	}
	return m
}

// An attestation's value altered from 79 to 81 in the stored record: the
// 2023 SPT is missed instead of met, and from period 4 the rate is 5 bp
// above the original instead of 10 below.
func TestReplayReportsAlteredInput(t *testing.T) {
	d := attestationDecision(t, 2, strings.Repeat("e", 64))
	stored := d.CanonicalBytes()
	if n := bytes.Count(stored, []byte(`"value":"79"`)); n != 1 {
		t.Fatalf("%d attestation values of 79 in the record", n)
	}
	tampered, err := DecodeDecision(bytes.Replace(stored, []byte(`"value":"79"`), []byte(`"value":"81"`), 1))
	if err != nil {
		t.Fatal(err)
	}
	if tampered.VerifyHash() == nil {
		t.Error("the tampered record passes its hash check")
	}
	res := replay(t, tampered, shippedDocs(t))
	if res.Match || res.ReplayedDigest == res.RecordedDigest {
		t.Fatalf("tampered input replays as a match: %+v", res)
	}
	got := differencePaths(res)
	for path, want := range map[string][2]string{
		"schedule.lines[3].rate":           {`"3.7500"`, `"3.9000"`},
		"schedule.lines[3].adjustment_bp":  {`"-30"`, `"-15"`},
		"schedule.lines[3].ratchet_bp":     {`"-10"`, `"5"`},
		"schedule.spts[0].outcome":         {`"met"`, `"missed"`},
		"schedule.attestations[0].outcome": {`"met"`, `"missed"`},
		"schedule.lines[2].rate":           {}, // period 3 starts before the determination
	} {
		diff, ok := got[path]
		if want == ([2]string{}) {
			if ok {
				t.Errorf("%s differs: %+v", path, diff)
			}
			continue
		}
		if !ok || diff.Recorded != want[0] || diff.Replayed != want[1] {
			t.Errorf("%s: %+v, want recorded %s replayed %s", path, diff, want[0], want[1])
		}
	}
	if res.Differences[0].Path != "output_digest" || res.Differences[1].Path != "hash" {
		t.Errorf("integrity differences first: %+v", res.Differences[:2])
	}
	if _, ok := got["schedule.total_interest"]; !ok {
		t.Error("total interest not reported")
	}
}

// Outputs altered in the store (digest left alone) replay to the recorded
// digest, but the stored outputs and the record's hash give it away.
func TestReplayReportsAlteredOutput(t *testing.T) {
	d := quoteDecision(t, 1, GenesisHash)
	stored := d.CanonicalBytes()
	tampered, err := DecodeDecision(bytes.Replace(stored, []byte(`"all_in_rate":"3.3000"`), []byte(`"all_in_rate":"3.2000"`), 1))
	if err != nil {
		t.Fatal(err)
	}
	res := replay(t, tampered, shippedDocs(t))
	got := differencePaths(res)
	if res.Match || got["quote.breakdown.all_in_rate"].Recorded != `"3.2000"` || got["hash"].Path == "" {
		t.Errorf("altered output: %+v", res)
	}
	if _, ok := got["output_digest"]; ok {
		t.Error("the replayed outputs have the recorded digest; output_digest must not differ")
	}
}

// A quote whose plan baseline is altered to 80 (at or better than the
// baseline level 83) is reassessed as advancing and repriced.
func TestReplayReassessesQuote(t *testing.T) {
	d := quoteDecision(t, 1, GenesisHash)
	tampered, err := DecodeDecision(bytes.Replace(d.CanonicalBytes(), []byte(`"baseline":{"value":"88"`),
		[]byte(`"baseline":{"value":"80"`), 1))
	if err != nil {
		t.Fatal(err)
	}
	got := differencePaths(replay(t, tampered, shippedDocs(t)))
	if got["assessment.tier"].Replayed != `"advancing"` || got["quote.breakdown.tier_adjustment_bp"].Replayed != `"-20"` ||
		got["quote.breakdown.all_in_rate"].Replayed != `"3.2000"` {
		t.Errorf("differences %+v", got)
	}
}

func TestReplayRefusals(t *testing.T) {
	q := quoteDecision(t, 1, GenesisHash)
	docs := shippedDocs(t)
	noPolicy := memDocs{string(DocCatalogue) + " " + q.Catalogue.Digest: docs[string(DocCatalogue)+" "+q.Catalogue.Digest]}
	_, err := Replay(q, noPolicy)
	if e := appErr(t, err, tfpricing.EUNPROCESSABLE); !strings.Contains(e.Message, "policy "+q.Policy.Digest+" cannot be read") {
		t.Errorf("missing policy: %s", e.Message)
	}
	// A stored catalogue altered in place no longer has its digest.
	bad := memDocs{}
	for k, v := range docs {
		bad[k] = v
	}
	key := string(DocCatalogue) + " " + q.Catalogue.Digest
	bad[key] = bytes.Replace(bad[key], []byte(`"baseline_level":"83"`), []byte(`"baseline_level":"90"`), 1)
	_, err = Replay(q, bad)
	if e := appErr(t, err, tfpricing.EUNPROCESSABLE); !strings.Contains(e.Message, "has been altered") {
		t.Errorf("altered catalogue: %s", e.Message)
	}
	// Also for a loan decision, which does not parse the catalogue.
	_, err = Replay(attestationDecision(t, 2, strings.Repeat("e", 64)), bad)
	appErr(t, err, tfpricing.EUNPROCESSABLE)
	// A document stored under the wrong digest, bytes and all.
	wrong := memDocs{key: docs[string(DocPolicy)+" "+q.Policy.Digest]}
	for k, v := range docs {
		if k != key {
			wrong[k] = v
		}
	}
	_, err = Replay(q, wrong)
	appErr(t, err, tfpricing.EUNPROCESSABLE)
	sim := q
	sim.Kind = DecisionSimulation
	_, err = Replay(sim, docs)
	if e := appErr(t, err, tfpricing.EUNPROCESSABLE); !strings.Contains(e.Message, "not replayable") {
		t.Errorf("simulation: %s", e.Message)
	}
	// Inputs that no longer decode name the field.
	l := attestationDecision(t, 2, strings.Repeat("e", 64))
	l.Inputs = bytes.Replace(l.Inputs, []byte(`"tenor_months":36`), []byte(`"tenor_months":"36"`), 1)
	_, err = Replay(l, docs)
	appErr(t, err, tfpricing.EUNPROCESSABLE)
	l = attestationDecision(t, 2, strings.Repeat("e", 64))
	l.Inputs = bytes.Replace(l.Inputs, []byte(`"accepted_on":"2024-03-15"`), []byte(`"accepted_on":"2024-02-30"`), 1)
	_, err = Replay(l, docs)
	if e := appErr(t, err, tfpricing.EUNPROCESSABLE); fieldsOf(e) != "attestations[0].accepted_on" {
		t.Errorf("bad date in inputs reported at %q", fieldsOf(e))
	}
}

// Changing any single byte of a stored record's inputs either makes the
// record undecodable or unreplayable, or makes replay report a difference
// (at least the record's hash): never a match, never a panic.
func TestReplayEveryInputByteTampered(t *testing.T) {
	docs := shippedDocs(t)
	d := attestationDecision(t, 2, strings.Repeat("e", 64))
	stored := d.CanonicalBytes()
	start := bytes.Index(stored, []byte(`"inputs":`))
	end := start + len(`"inputs":`) + len(d.Inputs)
	step := 1
	if testing.Short() {
		step = 7
	}
	for i := start; i < end; i += step {
		b := bytes.Clone(stored)
		b[i] = otherByte(b[i])
		got, err := DecodeDecision(b)
		if err != nil {
			continue
		}
		res, err := Replay(got, docs)
		if err == nil && res.Match {
			t.Fatalf("byte %d (%q→%q) changed and replay still matches", i, stored[i], b[i])
		}
	}
}

func otherByte(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return '0' + (c-'0'+1)%10
	case 'a' <= c && c <= 'z':
		return 'a' + (c-'a'+1)%26
	case c == '"':
		return '\''
	}
	return 'x'
}

func BenchmarkReplayQuoteDecision(b *testing.B) {
	docs := shippedDocs(b)
	d := quoteDecision(b, 1, GenesisHash)
	b.ReportAllocs()
	for b.Loop() {
		if res, err := Replay(d, docs); err != nil || !res.Match {
			b.Fatal(err, res)
		}
	}
}

func BenchmarkReplayAttestationDecision(b *testing.B) {
	docs := shippedDocs(b)
	d := attestationDecision(b, 2, strings.Repeat("e", 64))
	b.ReportAllocs()
	for b.Loop() {
		if res, err := Replay(d, docs); err != nil || !res.Match {
			b.Fatal(err, res)
		}
	}
}

// BenchmarkReplayStoredQuoteDecision is a replay as the server and the
// audit CLI run it: the stored bytes decoded, the documents from a cache
// held across replays (the two above parse the catalogue or policy every
// time and start from an in-memory record).
func BenchmarkReplayStoredQuoteDecision(b *testing.B) {
	benchReplayStored(b, quoteDecision(b, 1, GenesisHash))
}

// BenchmarkReplayStoredAttestationDecision is the same for an attestation.
func BenchmarkReplayStoredAttestationDecision(b *testing.B) {
	benchReplayStored(b, attestationDecision(b, 2, strings.Repeat("e", 64)))
}

func benchReplayStored(b *testing.B, d Decision) {
	stored := d.CanonicalBytes()
	docs := NewDocumentCache().Wrap(shippedDocs(b))
	b.ReportAllocs()
	b.SetBytes(int64(len(stored)))
	for b.Loop() {
		got, err := DecodeDecision(stored)
		if err != nil {
			b.Fatal(err)
		}
		if res, err := Replay(got, docs); err != nil || !res.Match {
			b.Fatal(err, res)
		}
	}
}
