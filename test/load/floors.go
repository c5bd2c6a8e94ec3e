package main

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The machine's own floors, measured in the same run as the paths so that
// each path can be stated as a ratio to them (issue 18): the HTTP floor is
// GET /healthz from readClients closed-loop clients; the durable-write
// floor is bbolt's fsync'd commit of one 2 KB put (db.Update, no batching)
// in a small file of its own in a temp dir, from 1 and from 32 goroutines.
type floors struct {
	healthz           *result
	commit1, commit32 *result
}

// maxFloorCommits bounds the raw commit measurement whatever the duration.
const maxFloorCommits = 200_000

func measureFloors(c *client, o options, dir string) (floors, error) {
	var f floors
	next := func(int) request { return request{method: "GET", path: "/healthz"} }
	if o.warmup > 0 {
		closedLoop(c, "healthz", o.readClients, min(o.warmup, time.Second), next)
	}
	f.healthz = closedLoop(c, "floor: GET /healthz", o.readClients, o.floorDur, next)
	f.healthz.print(os.Stdout)
	var err error
	if f.commit1, err = rawCommits(dir, 1, o.floorDur); err != nil {
		return f, err
	}
	f.commit1.print(os.Stdout)
	if f.commit32, err = rawCommits(dir, 32, o.floorDur); err != nil {
		return f, err
	}
	f.commit32.print(os.Stdout)
	return f, nil
}

// rawCommits runs workers goroutines, each committing db.Update with one
// 2 KB put (fsync'd, as bbolt does by default) back to back for dur (at
// most maxFloorCommits in all) into a fresh file in dir, removed at the end.
func rawCommits(dir string, workers int, dur time.Duration) (*result, error) {
	path := filepath.Join(dir, fmt.Sprintf("floor-%d.db", workers))
	_ = os.Remove(path)
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return nil, err
	}
	defer os.Remove(path)
	defer db.Close()
	bucket := []byte("floor")
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucketIfNotExists(bucket); return err }); err != nil {
		return nil, err
	}
	value := make([]byte, 2048)
	for i := range value {
		value[i] = byte(i * 7)
	}
	var seq atomic.Uint64
	var wg sync.WaitGroup
	all := make([]*stats, workers)
	start := time.Now()
	end := start.Add(dur)
	cpu := startCPU()
	for w := range workers {
		st := newStats()
		all[w] = st
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				n := seq.Add(1)
				if n > maxFloorCommits {
					return
				}
				var key [8]byte
				binary.BigEndian.PutUint64(key[:], n)
				t0 := time.Now()
				err := db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucket).Put(key[:], value) })
				done := time.Now()
				st.sent++
				st.lat.record(done.Sub(t0))
				st.finished = done
				if err != nil {
					st.status[0]++
					if st.errText == "" {
						st.errText = err.Error()
					}
					continue
				}
				st.status[200]++
			}
		}()
	}
	wg.Wait()
	res := &result{name: fmt.Sprintf("floor: bbolt fsync'd Update, one 2 KB put, %d goroutine(s)", workers),
		mode: fmt.Sprintf("in process, %d goroutines", workers), st: newStats()}
	for _, s := range all {
		res.st.merge(s)
	}
	res.elapsed = res.st.finished.Sub(start)
	cpu.finish(res)
	return res, nil
}

// rate is the 2xx (or committed) throughput of r per second.
func (r *result) rate() float64 {
	if r == nil || r.elapsed <= 0 {
		return 0
	}
	return float64(r.ok()) / r.elapsed.Seconds()
}

// printRatios states every path as a ratio to its floor: HTTP reads and
// computations to GET /healthz, durable writes to the raw commit rate — of
// one goroutine for a single client, otherwise the faster of 1 and 32
// goroutines (on a busy machine 32 contending committers can be the slower),
// so that a ratio never flatters.
func printRatios(f floors, results []*result, md bool) {
	if f.healthz == nil {
		return
	}
	fmt.Printf("\n== ratios to this run's floors: healthz %.0f/s (%d clients); raw commits %.0f/s (1), %.0f/s (32)\n",
		f.healthz.rate(), f.healthz.clients, f.commit1.rate(), f.commit32.rate())
	if md {
		fmt.Println("| path | mode | 2xx/s | p50 ms | p99 ms | ratio | to |\n|---|---|---|---|---|---|---|")
	}
	for _, r := range results {
		base, to := f.healthz, "healthz"
		if r.durable {
			base, to = f.commit1, "raw commits ×1"
			if r.clients > 1 && f.commit32.rate() > f.commit1.rate() {
				base, to = f.commit32, "raw commits ×32"
			}
		}
		ratio := r.rate() / max(base.rate(), 1e-9)
		h := &r.st.lat
		if md {
			fmt.Printf("| %s | %s | %.0f | %s | %s | %.3f | %s |\n", r.name, r.mode, r.rate(), ms(h.quantile(0.5)), ms(h.quantile(0.99)), ratio, to)
		} else {
			fmt.Printf("  %-34s %9.0f/s  p99 %8s ms  %6.3f × %s\n", r.name, r.rate(), ms(h.quantile(0.99)), ratio, to)
		}
	}
}
