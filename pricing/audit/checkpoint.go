package audit

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"tfpricing"
	"tfpricing/pricing/canon"
)

// Checkpoint is a signed statement that the decision chain's record Seq has
// hash HeadHash. Exported and kept outside the service, it detects a
// history rewritten after it was signed, even one whose every hash was
// recomputed. KeyID names the signing key (CheckpointKeyID) and Signature
// is the standard base64 of the Ed25519 signature over CheckpointMessage.
// SignedAt is informative and not signed.
type Checkpoint struct {
	Seq       uint64
	HeadHash  string
	SignedAt  time.Time
	KeyID     string
	Signature string
}

// CheckpointMessage is the exact byte string a checkpoint signs:
//
//	"tfpricing-checkpoint/v1\n" + decimal seq + "\n" + head hash (hex) + "\n"
//
// so that any Ed25519 tool can verify a checkpoint without this code.
func CheckpointMessage(seq uint64, headHash string) []byte {
	return []byte("tfpricing-checkpoint/v1\n" + strconv.FormatUint(seq, 10) + "\n" + headHash + "\n")
}

// CheckpointKeyID names an Ed25519 public key: "ed25519:" and the first 16
// hex digits of the SHA-256 of the key, enough to tell keys apart when they
// are rotated.
func CheckpointKeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return "ed25519:" + hex.EncodeToString(sum[:8])
}

// SignCheckpoint signs the head of the chain at the time at. Like
// ed25519.Sign, it panics when priv is not an Ed25519 private key, which
// is a configuration error caught at start-up.
func SignCheckpoint(priv ed25519.PrivateKey, seq uint64, head string, at time.Time) Checkpoint {
	pub, _ := priv.Public().(ed25519.PublicKey)
	sig := ed25519.Sign(priv, CheckpointMessage(seq, head))
	return Checkpoint{Seq: seq, HeadHash: head, SignedAt: at.UTC().Round(0), KeyID: CheckpointKeyID(pub),
		Signature: base64.StdEncoding.EncodeToString(sig)}
}

// Verify checks that c was signed by the key pub.
func (c Checkpoint) Verify(pub ed25519.PublicKey) error {
	refuse := func(format string, args ...any) error {
		return tfpricing.Errorf(tfpricing.EUNPROCESSABLE, "checkpoint of record %d: %s", c.Seq, fmt.Sprintf(format, args...))
	}
	if len(pub) != ed25519.PublicKeySize {
		return refuse("the verification key is not an Ed25519 public key")
	}
	if id := CheckpointKeyID(pub); c.KeyID != id {
		return refuse("it names key %s, not %s", c.KeyID, id)
	}
	sig, err := base64.StdEncoding.DecodeString(c.Signature)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return refuse("its signature is not a base64 Ed25519 signature")
	}
	if !ed25519.Verify(pub, CheckpointMessage(c.Seq, c.HeadHash), sig) {
		return refuse("its signature does not verify")
	}
	return nil
}

// CheckAgainst checks the record now stored at cp.Seq against the
// checkpoint: it must be that record, intact, with the signed hash. A
// mismatch means the history up to cp.Seq was rewritten after cp was
// signed, however consistent the chain is now. Verify cp's signature first.
func CheckAgainst(cp Checkpoint, recordAtSeq Decision) error {
	if recordAtSeq.Seq != cp.Seq {
		return tfpricing.Errorf(tfpricing.EUNPROCESSABLE, "record %d is not the checkpoint's record %d",
			recordAtSeq.Seq, cp.Seq)
	}
	if err := recordAtSeq.VerifyHash(); err != nil {
		return err
	}
	if recordAtSeq.Hash != cp.HeadHash {
		return tfpricing.Errorf(tfpricing.EUNPROCESSABLE,
			"record %d has hash %s but the checkpoint signed %s says %s: the history up to it was rewritten",
			cp.Seq, recordAtSeq.Hash, cp.SignedAt.UTC().Format(timestampLayout), cp.HeadHash)
	}
	return nil
}

// checkpointRecord is the exported form of a Checkpoint:
// {"head_hash", "key_id", "seq", "signature", "signed_at", "v": 1}.
type checkpointRecord struct {
	HeadHash  string `json:"head_hash"`
	KeyID     string `json:"key_id"`
	Seq       uint64 `json:"seq"`
	Signature string `json:"signature"`
	SignedAt  string `json:"signed_at"`
	docVersion
}

// EncodeCheckpoint returns the exported record of a checkpoint.
func EncodeCheckpoint(c Checkpoint) ([]byte, error) {
	return canon.Marshal(checkpointRecord{docVersion: docVersion{V: recordVersion}, Seq: c.Seq, HeadHash: c.HeadHash,
		SignedAt: c.SignedAt.UTC().Format(timestampLayout), KeyID: c.KeyID, Signature: c.Signature})

}

// DecodeCheckpoint decodes a record written by EncodeCheckpoint, strictly.
// It does not verify the signature.
func DecodeCheckpoint(data []byte) (Checkpoint, error) {
	return decodeDoc("checkpoint", data, func(rec checkpointRecord, r *recReader) Checkpoint {
		t, err := time.Parse(timestampLayout, rec.SignedAt)
		if err != nil {
			r.fail("signed_at", "timestamp", "%q is not an RFC 3339 UTC timestamp", rec.SignedAt)
		}
		if !isHexHash(rec.HeadHash) {
			r.fail("head_hash", "hash", "must be 64 lower-case hex digits")
		}
		return Checkpoint{Seq: rec.Seq, HeadHash: rec.HeadHash, SignedAt: t.UTC(), KeyID: rec.KeyID,
			Signature: rec.Signature}
	}, EncodeCheckpoint)
}
