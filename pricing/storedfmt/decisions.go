package storedfmt

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// A stored decision record is an envelope around the record's canonical
// bytes — the bytes its chain hash covers, which is what every reader gets
// back, so the hash of a decision never depends on how it is stored:
//
//	'{' …            version 1: the canonical bytes themselves (every record
//	                 written before compression; still read, never written)
//	0x02, frame      version 2: one zstd frame (RFC 8878) whose content is
//	                 the canonical bytes
//
// A canonical record is a JSON object, so its first byte is always '{'
// and the two cannot be confused. The frame is written by klauspost's
// zstd at decisionLevel with dictionary 1 (below), and names it in its
// header; a frame naming no dictionary decodes too. A record needs nothing
// but this package to decode — no other record, no state of the store —
// so a backup file, a bookcopy or an offline audit reads it as it is, and
// the same canonical bytes give the same stored bytes in bbolt and in
// PostgreSQL. The frame carries zstd's content checksum as well, but the
// chain hash is what proves a record: a frame that does not decode is
// handed to the verifier as stored, which reports it as a broken record.
const decisionZstd = 0x02

// Dictionary 1 is dict1.json: four canonical decision records (a quote,
// a booking, a repricing and an attestation) of the compatibility fixture
// test/testdata/v1.db, one a line, used as a raw-content dictionary. Small
// records compress poorly on their own — most of a record is keys,
// digests and shapes every record repeats — and a dictionary of typical
// records lets each frame refer to them instead: measured on load-tool
// books it takes a further 30–40 % off (BENCHMARKS.md, "Issue 18:
// storage"). Its bytes are part of the stored format: every frame written
// with it needs exactly them to decode, so the file never changes (a test
// pins its SHA-256). A better dictionary is a new file with a new ID,
// registered with the decoder beside this one.
//
//go:embed dict1.json
var dict1 []byte

// dict1ID is dictionary 1's ID in the frames' headers: "tf" and 1, outside
// the range zstd reserves for public dictionaries (below 32768).
const dict1ID = 0x7466_0001

// decisionLevel is zstd's fastest level. With dictionary 1 it stored the
// standard quote, a booking and a repricing (testdata) as small as the
// default level did (2,491 against 2,536 bytes for the quote), and cost the
// least CPU per record of the levels measured (BenchmarkEncodeLevels; BENCHMARKS.md, "Issue 18: storage"):
// the better levels spend far more time filling their larger tables from
// the dictionary on every record.
const decisionLevel = zstd.SpeedFastest

// maxDecisionRecord bounds what one stored frame may decode to, so that a
// damaged or hostile frame header cannot make a reader allocate without
// limit (the largest records, a loan with 1,000 events, are ≈ 0.5 MB).
const maxDecisionRecord = 64 << 20

// The encoder and decoder are made once, on first use, and shared: their
// EncodeAll and DecodeAll are safe for concurrent use, each call borrowing
// one of their internal states, and nothing about them changes afterwards.
//
// The encoder has one internal state (encoderOptions), not one per
// GOMAXPROCS: every frame starts from dictionary 1's tables, which Reset
// copies in (≈ 300 KB), and with two states taken in turn every frame
// found the other's ≈ 600 KB cold — one state kept warm cost ≈ 8 % less
// CPU a decision and schedule frame (BENCHMARKS.md, "Attestation write
// path"). Frames are written by one writer at a time anyway (bbolt's
// single writer, pgstore's group commit); a concurrent caller waits for
// the state. The bytes do not depend on it: each frame starts from a full
// reset (TestEncoderBytesUnchanged).
var (
	encoder = sync.OnceValue(func() *zstd.Encoder {
		e, err := zstd.NewWriter(nil, encoderOptions()...)
		if err != nil {
			panic(err) // only for invalid options, which these are not
		}
		return e
	})
	decoder = sync.OnceValue(func() *zstd.Decoder {
		d, err := zstd.NewReader(nil, zstd.WithDecoderMaxMemory(maxDecisionRecord), zstd.WithDecoderConcurrency(0),
			zstd.WithDecoderDictRaw(dict1ID, dict1))
		if err != nil {
			panic(err)
		}
		return d
	})
)

// encoderOptions are the encoder's: the frame's parameters (level, checksum,
// dictionary), which fix its bytes, and its memory and concurrency, which
// do not.
func encoderOptions() []zstd.EOption {
	return []zstd.EOption{zstd.WithEncoderLevel(decisionLevel), zstd.WithEncoderCRC(true),
		zstd.WithLowerEncoderMem(true), zstd.WithEncoderDictRaw(dict1ID, dict1), zstd.WithEncoderConcurrency(1)}
}

// EncodeDecision returns the stored form (version 2) of a decision record
// given as its canonical bytes.
func EncodeDecision(canonical []byte) []byte { return pack(canonical) }

// Pack puts a decision, loan or schedule state record stored bare (as files
// before compression hold them, JSON starting with '{') into the envelope,
// unchanged inside: DecodeDecision, ReadLoan, ReadSchedule and ReadStamp
// read it as they read the bare record. For compaction of older files
// (which packs schedule states with PackSchedule, version 3, instead).
func Pack(record []byte) []byte { return pack(record) }

// pack is the envelope of version 2 around a JSON record: the tag and a
// zstd frame (loan records use it too, see EncodeLoan).
func pack(record []byte) []byte {
	out := make([]byte, 1, 1+len(record)/4+64)
	out[0] = decisionZstd
	return encoder().EncodeAll(record, out)
}

// ErrDecisionEnvelope reports stored decision bytes that are neither
// version of the envelope, or a frame that does not decode.
var ErrDecisionEnvelope = errors.New("stored decision record is not a known envelope")

// DecodeDecision returns the canonical bytes of a stored decision record of
// either version, in a new slice (stored may be a bbolt value, valid only
// in its transaction). It does not check that they are canonical or hash
// right: that is the decoder's and the verifier's work.
func DecodeDecision(stored []byte) ([]byte, error) { return unpack(stored) }

// unpack is DecodeDecision for any record in the envelope.
func unpack(stored []byte) ([]byte, error) {
	switch {
	case len(stored) > 0 && stored[0] == '{':
		return bytes.Clone(stored), nil
	case len(stored) > 1 && stored[0] == decisionZstd:
		out, err := decoder().DecodeAll(stored[1:], nil)
		if err != nil {
			return nil, errEnvelope(err)
		}
		return out, nil
	}
	return nil, ErrDecisionEnvelope
}

// errEnvelope is ErrDecisionEnvelope for a frame that did not decode.
func errEnvelope(err error) error { return fmt.Errorf("%w: %w", ErrDecisionEnvelope, err) }

// VerifyChunk is how many stored records a chain verifier decompresses at
// once (DecisionsOrStored): ≈ 16 MB of canonical bytes for typical records,
// where a whole verify batch of 10,000 would hold ten times that.
const VerifyChunk = 1024

// DecisionsOrStored is DecisionOrStored of each record, on up to GOMAXPROCS
// goroutines for a long batch (as the chain verifier hashes them).
func DecisionsOrStored(stored [][]byte) [][]byte {
	out := make([][]byte, len(stored))
	workers := min(runtime.GOMAXPROCS(0), (len(stored)+127)/128)
	if workers <= 1 {
		for i, s := range stored {
			out[i] = DecisionOrStored(s)
		}
		return out
	}
	var wg sync.WaitGroup
	chunk := (len(stored) + workers - 1) / workers
	for lo := 0; lo < len(stored); lo += chunk {
		hi := min(lo+chunk, len(stored))
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				out[i] = DecisionOrStored(stored[i])
			}
		})
	}
	wg.Wait()
	return out
}

// DecisionOrStored is DecodeDecision for readers that must not stop at a
// damaged record — the chain verifier and the raw record endpoint: the
// canonical bytes, or else a copy of the stored bytes as they are, which
// no verifier takes for a valid record.
func DecisionOrStored(stored []byte) []byte {
	if b, err := DecodeDecision(stored); err == nil {
		return b
	}
	return bytes.Clone(stored)
}
