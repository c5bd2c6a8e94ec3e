package main

import (
	"math/bits"
	"time"
)

// histogram is a log-linear (HDR-style) latency histogram over nanoseconds:
// values below 2^subBits are counted exactly; above, each power of two is
// split into 2^subBits/2 equal buckets, so a recorded value is known to
// within 1/128 (< 0.8 %) of itself. It is not safe for concurrent use; each
// worker keeps its own and they are merged at the end.
type histogram struct {
	counts [64 << halfBits]uint64
	n      uint64
	max    int64
	min    int64
	sum    float64
}

const (
	subBits  = 8            // 256 exact values, then 128 buckets per power of two
	halfBits = subBits - 1  // buckets per power of two = 2^halfBits
	subCount = 1 << subBits // values below this are exact
	halfMask = 1<<halfBits - 1
)

func bucketOf(v uint64) int {
	if v < subCount {
		return int(v)
	}
	shift := bits.Len64(v) - subBits // v>>shift is in [128, 255]
	return (shift+1)<<halfBits + int(v>>shift) - (1 << halfBits)
}

// bucketHigh is the largest value that falls into bucket i.
func bucketHigh(i int) uint64 {
	if i < subCount {
		return uint64(i)
	}
	shift := i>>halfBits - 1
	top := uint64(i&halfMask) + 1<<halfBits
	return (top+1)<<shift - 1
}

func (h *histogram) record(d time.Duration) {
	v := int64(d)
	if v < 0 {
		v = 0
	}
	h.counts[bucketOf(uint64(v))]++
	if h.n == 0 || v < h.min {
		h.min = v
	}
	if v > h.max {
		h.max = v
	}
	h.n++
	h.sum += float64(v)
}

func (h *histogram) merge(o *histogram) {
	if o.n == 0 {
		return
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	if h.n == 0 || o.min < h.min {
		h.min = o.min
	}
	if o.max > h.max {
		h.max = o.max
	}
	h.n += o.n
	h.sum += o.sum
}

// quantile returns the value at quantile q (0..1): the upper edge of the
// bucket holding the ceil(q·n)-th smallest value, capped at the exact max.
func (h *histogram) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(q*float64(h.n) + 0.5)
	if rank < 1 {
		rank = 1
	}
	if rank > h.n {
		rank = h.n
	}
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			v := int64(bucketHigh(i))
			if v > h.max {
				v = h.max
			}
			return time.Duration(v)
		}
	}
	return time.Duration(h.max)
}

func (h *histogram) mean() time.Duration {
	if h.n == 0 {
		return 0
	}
	return time.Duration(h.sum / float64(h.n))
}
