package canon

import "testing"

// Microbenchmarks of AppendString on an English and a Chinese eligibility
// message of typical length (the response writes two per rule).

var sinkB []byte

func BenchmarkAppendStringEN(b *testing.B) {
	s := "pet_fdy_energy: 2027 target 76 kgce/t is 13.6% below the 2025 baseline 88 kgce/t, at least the pathway's 12% by 2030"
	buf := make([]byte, 0, 512)
	for b.Loop() {
		sinkB = AppendString(buf[:0], s)
	}
}
func BenchmarkAppendStringZH(b *testing.B) {
	s := "关键绩效指标 pet_fdy_energy：2027年目标 76 kgce/t 较2025年基线 88 kgce/t 下降13.6%，不低于路径要求的12%"
	buf := make([]byte, 0, 512)
	for b.Loop() {
		sinkB = AppendString(buf[:0], s)
	}
}
