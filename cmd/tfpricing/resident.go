package main

import (
	"bytes"
	"context"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"tfpricing/pricing/boltstore"
)

// The data file's pages that bbolt has read stay in the process's resident
// set (see boltstore.Store.ReleaseMapped). A watcher polls the process's
// file-backed resident memory and releases the mapping whenever it passes
// residentBudget, so that the start-up check, a chain verification or an
// export walking a 4 GB file does not leave — or even briefly reach — 4 GB
// of RSS, while the hot pages of everyday requests stay mapped.
const (
	residentBudget = 192 << 20
	residentPoll   = time.Second
)

// memoryLimit is the Go runtime's soft memory limit, which alone paces the
// collector (serve.go). Live data stays far below it; were it to approach
// it, the runtime caps the collector at half the CPU rather than fail.
const memoryLimit = 256 << 20

// idleAllocs is the allocation rate (bytes per poll) under which the
// service counts as idle: the watcher then collects and returns the heap
// to the system once, since no collection would otherwise run until the
// heap reached memoryLimit again.
const idleAllocs = 1 << 20

// watchResident runs the watcher until the returned stop is called (before
// the store is closed).
func watchResident(log zerolog.Logger, store *boltstore.Store) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(residentPoll)
		defer t.Stop()
		lastAllocs, trimmed := heapAllocs(), false
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if fileResident() > residentBudget {
				if err := store.ReleaseMapped(); err != nil {
					log.Warn().Err(err).Msg("releasing the data file's mapped pages")
				}
			}
			allocs := heapAllocs()
			if idle := allocs-lastAllocs < idleAllocs; idle && !trimmed {
				debug.FreeOSMemory()
				trimmed = true
			} else if !idle {
				trimmed = false
			}
			lastAllocs = allocs
		}
	})
	return func() { cancel(); wg.Wait() }
}

// heapAllocs returns the bytes allocated on the heap since start.
func heapAllocs() uint64 {
	sample := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return sample[0].Value.Uint64()
}

// fileResident returns the process's shared resident memory in bytes
// (file-backed pages: the data file's mapping and the binary), or 0 where
// /proc/self/statm cannot be read.
func fileResident() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := bytes.Fields(b)
	if len(f) < 3 {
		return 0
	}
	pages, err := strconv.ParseInt(string(f[2]), 10, 64)
	if err != nil {
		return 0
	}
	return pages * int64(os.Getpagesize())
}
