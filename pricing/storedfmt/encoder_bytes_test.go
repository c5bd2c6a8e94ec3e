package storedfmt

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// referenceEncoder is the encoder as every stored frame before session 6
// was written: the same frame parameters, one internal state per
// GOMAXPROCS (zstd's default concurrency).
func referenceEncoder(t *testing.T) *zstd.Encoder {
	t.Helper()
	e, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderCRC(true),
		zstd.WithLowerEncoderMem(true), zstd.WithEncoderDictRaw(0x7466_0001, dict1))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// The encoder writes the bytes the reference encoder writes, frame for
// frame, whatever came before a frame: real records (dictionary 1's four,
// the testdata decisions, random schedule states), random pieces of them,
// and concatenations — small ones, ones above 32 KB (zstd's other match
// finder, which leaves every table dirty) and ones above the 128 KB block
// (several blocks a frame) — in random order, sequentially and from four
// goroutines at once.
func TestEncoderBytesUnchanged(t *testing.T) {
	var records [][]byte
	for line := range bytes.SplitSeq(bytes.TrimSpace(dict1), []byte("\n")) {
		records = append(records, line)
	}
	for _, name := range []string{"quote-standard.json", "booking.json", "repricing.json"} {
		records = append(records, testRecord(t, name))
	}
	r := rand.New(rand.NewPCG(6, 61))
	for range 50 {
		b, err := json.Marshal(NewSchedule(randomSchedule(r)))
		if err != nil {
			t.Fatal(err)
		}
		records = append(records, b)
	}
	inputs := make([][]byte, 0, 2000)
	for range cap(inputs) {
		rec := records[r.IntN(len(records))]
		switch r.IntN(4) {
		case 0:
			i := r.IntN(len(rec))
			rec = rec[i : i+r.IntN(len(rec)-i+1)]
		case 1: // of the decisions (5–33 KB each): up to ≈ 400 KB
			for n := r.IntN(20); n > 0; n-- {
				rec = append(bytes.Clone(rec), records[r.IntN(7)]...)
			}
		}
		inputs = append(inputs, rec)
	}
	ref := referenceEncoder(t)
	want := make([][]byte, len(inputs))
	for i, in := range inputs {
		want[i] = ref.EncodeAll(in, []byte{decisionZstd})
	}
	sizes := map[bool]int{}
	for i, in := range inputs {
		if got := pack(in); !bytes.Equal(got, want[i]) {
			t.Fatalf("input %d (%d bytes): frame differs from the reference encoder's", i, len(in))
		}
		sizes[len(in) > 128<<10]++
	}
	if sizes[true] == 0 || sizes[false] == 0 {
		t.Fatalf("no input above or below one block: %v", sizes)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := g; i < len(inputs); i += 4 {
				if got := pack(inputs[i]); !bytes.Equal(got, want[i]) {
					t.Errorf("concurrently, input %d: frame differs", i)
					return
				}
			}
		})
	}
	wg.Wait()
}
