package audit

import (
	"crypto/ed25519"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"tfpricing"
)

// A history altered at record 5 and rehashed from there to the end verifies
// as a chain; only a checkpoint signed before the rewrite exposes it.
func TestCheckpointCatchesRecomputedChain(t *testing.T) {
	pub, priv := testKey(t)
	chain := chainOf(t, 10)
	cp := SignCheckpoint(priv, 8, chain[7].Hash, fixtureTime)
	early := SignCheckpoint(priv, 3, chain[2].Hash, fixtureTime)

	forged := append([]Decision(nil), chain...)
	forged[4].Actor.KeyID = "tfp-dev-admin"
	prev := forged[3].Hash
	for i := 4; i < len(forged); i++ {
		forged[i] = reseal(t, forged[i], prev)
		prev = forged[i].Hash
	}
	if r := verify(t, forged); !r.OK {
		t.Fatalf("the recomputed chain should verify as a chain: %+v", r)
	}
	v := NewChainVerifier()
	for _, c := range []Checkpoint{cp, early} {
		if err := v.Pin(c, pub); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range forged {
		if !v.Add(d) {
			break
		}
	}
	r := v.Report()
	wantBroken(t, "recomputed chain", r, 8, "record 8 does not have the hash signed in the checkpoint")
	if err := CheckAgainst(cp, forged[7]); err == nil || !strings.Contains(err.Error(), "rewritten") {
		t.Errorf("CheckAgainst the forged record: %v", err)
	}
	if err := CheckAgainst(cp, chain[7]); err != nil {
		t.Errorf("CheckAgainst the original record: %v", err)
	}
	if err := CheckAgainst(cp, chain[6]); err == nil {
		t.Error("CheckAgainst accepted another record")
	}

	// The untouched chain passes both checkpoints.
	v = NewChainVerifier()
	_ = v.Pin(cp, pub)
	for _, d := range chain {
		v.Add(d)
	}
	if r := v.Report(); !r.OK || r.Checked != 10 {
		t.Errorf("original chain with checkpoint: %+v", r)
	}

	// Records removed from the end cannot hide behind a checkpoint.
	v = NewChainVerifier()
	_ = v.Pin(cp, pub)
	for _, d := range chain[:6] {
		v.Add(d)
	}
	wantBroken(t, "truncated chain", v.Report(), 7, "records were removed")
}

func testKey(t testing.TB) (ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	// A fixed seed: tests must not depend on randomness.
	priv := ed25519.NewKeyFromSeed([]byte(strings.Repeat("tfpricing-test-k", 2)))
	return priv.Public().(ed25519.PublicKey), priv
}

func TestCheckpointSignature(t *testing.T) {
	pub, priv := testKey(t)
	head := strings.Repeat("ab", 32)
	if got := string(CheckpointMessage(42, head)); got != "tfpricing-checkpoint/v1\n42\n"+head+"\n" {
		t.Errorf("message %q", got)
	}
	cp := SignCheckpoint(priv, 42, head, fixtureTime.In(time.FixedZone("CST", 8*3600)))
	if err := cp.Verify(pub); err != nil {
		t.Fatal(err)
	}
	if cp.SignedAt.Location() != time.UTC || !strings.HasPrefix(cp.KeyID, "ed25519:") || len(cp.KeyID) != 24 {
		t.Errorf("checkpoint %+v", cp)
	}
	// Independent verification with the standard library alone.
	sig, _ := base64.StdEncoding.DecodeString(cp.Signature)
	if !ed25519.Verify(pub, []byte("tfpricing-checkpoint/v1\n42\n"+head+"\n"), sig) {
		t.Error("the signature is not over the documented message")
	}
	otherPub := ed25519.NewKeyFromSeed([]byte(strings.Repeat("another-key-seed", 2))).Public().(ed25519.PublicKey)
	forgeries := map[string]Checkpoint{}
	c := cp
	c.Seq = 43
	forgeries["other seq"] = c
	c = cp
	c.HeadHash = strings.Repeat("cd", 32)
	forgeries["other head"] = c
	c = cp
	c.Signature = "not base64!"
	forgeries["bad base64"] = c
	c = cp
	c.KeyID = CheckpointKeyID(otherPub)
	forgeries["other key id"] = c
	for name, f := range forgeries {
		if err := f.Verify(pub); err == nil {
			t.Errorf("%s: verified", name)
		} else {
			appErr(t, err, tfpricing.EUNPROCESSABLE)
		}
	}
	if err := cp.Verify(otherPub); err == nil {
		t.Error("verified with another key")
	}
	if err := cp.Verify(pub[:10]); err == nil {
		t.Error("verified with a truncated key")
	}
	v := NewChainVerifier()
	if err := v.Pin(forgeries["other head"], pub); err == nil {
		t.Error("pinned a forged checkpoint")
	}
	b, err := EncodeCheckpoint(cp)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeCheckpoint(b)
	if err != nil || back.Verify(pub) != nil {
		t.Errorf("exported checkpoint no longer verifies: %v", err)
	}
}
