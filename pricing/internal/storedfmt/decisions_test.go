package storedfmt

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os/exec"
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
	// An independent decoder reads the frame too, when the tool is here.
	if zstd, err := exec.LookPath("zstd"); err == nil {
		cmd := exec.Command(zstd, "-d", "-c", "-q")
		cmd.Stdin = bytes.NewReader(stored[1:])
		out, err := cmd.Output()
		if err != nil || !bytes.Equal(out, canonical) {
			t.Errorf("zstd -d: %v (%d bytes, want %d)", err, len(out), len(canonical))
		}
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
