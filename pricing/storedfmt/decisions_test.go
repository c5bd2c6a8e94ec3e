package storedfmt

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A frame written by another implementation — the zstd command-line tool
// (the reference C library): `printf '{"kind":"quote","v":1}' | zstd -19 -c`
// gives these 35 bytes (magic 28 b5 2f fd, a frame header, one raw block
// holding the 22 bytes of text, then the 4-byte content checksum). With the
// version-2 tag in front it is a stored record that must read back as the
// text.
const cliFrame = "28b52ffd0468b100007b226b696e64223a2271756f7465222c2276223a317d7f9a5313"

func TestDecodeDecisionReadsAReferenceFrame(t *testing.T) {
	frame, _ := hex.DecodeString(cliFrame)
	got, err := DecodeDecision(append([]byte{0x02}, frame...))
	if err != nil || string(got) != `{"kind":"quote","v":1}` {
		t.Fatalf("got %q, %v", got, err)
	}
	// The same frame behind any other tag is not a stored decision: only
	// 0x02 (and '{', version 1) are envelopes.
	for _, tag := range []byte{0x00, 0x01, 0x03, '['} {
		if _, err := DecodeDecision(append([]byte{tag}, frame...)); !errors.Is(err, ErrDecisionEnvelope) {
			t.Errorf("tag %#x: %v, want ErrDecisionEnvelope", tag, err)
		}
	}
}

// bigRecord is a stand-in for a decision record: canonical JSON whose
// schedule rows repeat with small changes, as a real record's do.
func bigRecord() []byte {
	var b strings.Builder
	b.WriteString(`{"inputs":{"rows":[`)
	for i := range 400 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"period":` + string(rune('0'+i%10)) + `,"rate":"3.85` + string(rune('0'+i%7)) + `0","start":"2025-0` + string(rune('1'+i%9)) + `-01"}`)
	}
	b.WriteString(`]},"kind":"repricing","v":1}`)
	return []byte(b.String())
}

func TestEncodeDecisionRoundTrip(t *testing.T) {
	canonical := bigRecord()
	stored := EncodeDecision(canonical)
	if stored[0] != 0x02 || !bytes.Equal(stored[1:5], []byte{0x28, 0xb5, 0x2f, 0xfd}) {
		t.Fatalf("stored record starts % x, want 02 and the zstd magic", stored[:5])
	}
	if len(stored)*4 > len(canonical) {
		t.Errorf("stored %d bytes of %d: less than 4:1 on a repetitive record", len(stored), len(canonical))
	}
	got, err := DecodeDecision(stored)
	if err != nil || !bytes.Equal(got, canonical) {
		t.Fatalf("round trip: %v", err)
	}
	// Deterministic: the same canonical bytes are stored as the same bytes
	// (a backup from PostgreSQL holds what bbolt would).
	if again := EncodeDecision(canonical); !bytes.Equal(again, stored) {
		t.Error("two encodings of one record differ")
	}
	// The frame names dictionary 1; zstd's frame header keeps the ID at a
	// fixed place for a frame of this size (magic, then the frame header
	// descriptor, then a 4-byte little-endian Dictionary_ID, RFC 8878
	// §3.1.1.1.1: descriptor bits 0–1 = 3 for four bytes; a record this
	// small is one segment, which has no window descriptor byte).
	if desc := stored[5]; desc&3 != 3 || !bytes.Equal(stored[6:10], []byte{0x01, 0x00, 0x66, 0x74}) {
		t.Errorf("frame header % x: want a 4-byte dictionary ID 0x74660001", stored[5:10])
	}
}

func TestDecodeDecisionVersion1AndDamage(t *testing.T) {
	plain := []byte(`{"kind":"booking","v":1}`)
	got, err := DecodeDecision(plain)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("version 1: %q %v", got, err)
	}
	got[1] = 'X' // a copy: a bbolt value must not be aliased past its transaction
	if plain[1] != '"' {
		t.Error("DecodeDecision returned the stored slice itself")
	}
	stored := EncodeDecision(bigRecord())
	damaged := bytes.Clone(stored)
	damaged[len(damaged)/2] ^= 0xff
	for name, b := range map[string][]byte{"empty": nil, "tag only": {0x02}, "truncated": stored[:len(stored)-5],
		"damaged": damaged, "not JSON": []byte("[1]")} {
		if _, err := DecodeDecision(b); !errors.Is(err, ErrDecisionEnvelope) {
			t.Errorf("%s: %v, want ErrDecisionEnvelope", name, err)
		}
		if out := DecisionOrStored(b); !bytes.Equal(out, b) {
			t.Errorf("%s: DecisionOrStored changed the stored bytes", name)
		}
	}
	// The shortest frame there is (an empty frame) behind the tag: two
	// bytes or more are tried as a frame; it decodes to nothing, which the
	// audit decoder then refuses as no record.
	if out, err := DecodeDecision(EncodeDecision(nil)); err != nil || len(out) != 0 {
		t.Errorf("empty record: %q %v", out, err)
	}
}

// dict1.json is part of the stored format: every frame written with it
// needs exactly its bytes. The digest is sha256sum's of the file as
// committed; a change to the file fails here before it can make stored
// records unreadable.
func TestDictionary1Unchanged(t *testing.T) {
	const want = "d8b3f221a365e5cf97620327966413216a28fecf41de7de4e2623419e7897f57"
	if got := fmt.Sprintf("%x", sha256.Sum256(dict1)); got != want {
		t.Fatalf("dict1.json has SHA-256 %s, want %s: add a new dictionary instead of editing this one", got, want)
	}
}

// testRecord reads a canonical record of testdata (one line, newline-ended
// as written by the tool that dumped it): a standard quote, a booking and
// a repricing of a load-tool book, recorded by the current engine.
func testRecord(tb testing.TB, name string) []byte {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return bytes.TrimSuffix(b, []byte("\n"))
}

// The goal for the standard quote: its stored decision at most
// 10 KB (it is ≈ 33 KB canonical). Each record decodes back exactly.
func TestStoredSizes(t *testing.T) {
	for _, c := range []struct {
		name  string
		limit int
	}{{"quote-standard.json", 10_000}, {"booking.json", 5_000}, {"repricing.json", 2_000}} {
		canonical := testRecord(t, c.name)
		stored := EncodeDecision(canonical)
		t.Logf("%s: %d canonical bytes stored in %d", c.name, len(canonical), len(stored))
		if len(stored) > c.limit {
			t.Errorf("%s: stored in %d bytes, over %d", c.name, len(stored), c.limit)
		}
		if got, err := DecodeDecision(stored); err != nil || !bytes.Equal(got, canonical) {
			t.Errorf("%s: round trip: %v", c.name, err)
		}
	}
}

// go test -bench Decision ./pricing/internal/storedfmt/: the CPU a store
// adds per decision written (Encode) and read (Decode).
func BenchmarkEncodeDecision(b *testing.B) {
	for _, name := range []string{"quote-standard.json", "booking.json", "repricing.json"} {
		canonical := testRecord(b, name)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(canonical)))
			b.ReportAllocs()
			var n int
			for b.Loop() {
				n = len(EncodeDecision(canonical))
			}
			b.ReportMetric(float64(n), "stored-B")
		})
	}
}

func BenchmarkDecodeDecision(b *testing.B) {
	for _, name := range []string{"quote-standard.json", "booking.json", "repricing.json"} {
		stored := EncodeDecision(testRecord(b, name))
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := DecodeDecision(stored); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
