package storedfmt

import (
	"fmt"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// BenchmarkEncodeLevels compares zstd's levels with and without dictionary
// 1 on the testdata records (stored-B is the stored size), which is how
// decisionLevel was chosen: go test -run '^$' -bench EncodeLevels -count 5.
func BenchmarkEncodeLevels(b *testing.B) {
	for _, name := range []string{"quote-standard.json", "booking.json", "repricing.json"} {
		canonical := testRecord(b, name)
		for _, lvl := range []zstd.EncoderLevel{zstd.SpeedFastest, zstd.SpeedDefault, zstd.SpeedBetterCompression} {
			for _, dict := range []bool{false, true} {
				{
					opts := []zstd.EOption{zstd.WithEncoderLevel(lvl), zstd.WithLowerEncoderMem(true)}
					if dict {
						opts = append(opts, zstd.WithEncoderDictRaw(dict1ID, dict1))
					}
					e, _ := zstd.NewWriter(nil, opts...)
					b.Run(fmt.Sprintf("%s/%v/dict=%v", name, lvl, dict), func(b *testing.B) {
						b.ReportAllocs()
						var n int
						for b.Loop() {
							n = len(e.EncodeAll(canonical, make([]byte, 0, len(canonical)/4)))
						}
						b.ReportMetric(float64(n), "stored-B")
					})
				}
			}
		}
	}
}
