package pgtest

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Cost measures what the server spends on a benchmark's timed part: the
// CPU time of the backends connected to its database (read from /proc, so
// only when the server runs on this machine and its processes are
// readable), the CPU time of the server's other processes (WAL writer,
// checkpointer…, shared with whatever else the server runs), and the WAL
// it writes (all of the server's: exact only on a server of its own).
type Cost struct {
	conn     *pgx.Conn
	lsn      string
	wal      walStats
	backends map[int]int64 // pid → CPU ns at the start
	aux      map[int]int64
}

type walStats struct{ records, fpi int64 }

// StartCost starts measuring the server behind url (a Database's URL);
// call it right after b.ResetTimer and Report after the timed loop.
func StartCost(tb testing.TB, url string) *Cost {
	tb.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = conn.Close(context.Background()) })
	c := &Cost{conn: conn}
	c.backends, c.aux = c.cpu(tb)
	c.lsn, c.wal = c.walNow(tb)
	return c
}

// Report adds pg-cpu-µs/op (this database's backends), pg-aux-µs/op (the
// server's background processes), wal-B/op, walrec/op and fpi/op (full
// page images) to b's results, ops being the operations run.
func (c *Cost) Report(b *testing.B, ops int64) {
	b.Helper()
	if ops <= 0 {
		return
	}
	lsn, wal := c.walNow(b)
	var bytes int64
	if err := c.conn.QueryRow(context.Background(), "SELECT pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn)::bigint", lsn, c.lsn).Scan(&bytes); err != nil {
		b.Fatal(err)
	}
	b.Logf("WAL %s…%s (pg_waldump --stats -s %[1]s -e %[2]s)", c.lsn, lsn)
	backends, aux := c.cpu(b)
	per := func(v int64) float64 { return float64(v) / float64(ops) }
	if len(backends) > 0 {
		b.ReportMetric(per(spent(c.backends, backends))/1e3, "pg-cpu-µs/op")
		b.ReportMetric(per(spent(c.aux, aux))/1e3, "pg-aux-µs/op")
	}
	b.ReportMetric(per(bytes), "wal-B/op")
	b.ReportMetric(per(wal.records-c.wal.records), "walrec/op")
	b.ReportMetric(per(wal.fpi-c.wal.fpi), "fpi/op")
}

// spent is the CPU time spent between two readings; a process that was
// not there at the first started from nothing, one gone at the second is
// not counted.
func spent(before, after map[int]int64) int64 {
	var sum int64
	for pid, ns := range after {
		sum += ns - before[pid]
	}
	return sum
}

func (c *Cost) walNow(tb testing.TB) (string, walStats) {
	var lsn string
	var w walStats
	err := c.conn.QueryRow(context.Background(),
		"SELECT pg_current_wal_insert_lsn()::text, wal_records, wal_fpi FROM pg_stat_wal").Scan(&lsn, &w.records, &w.fpi)
	if err != nil {
		tb.Fatal(err)
	}
	return lsn, w
}

// cpu reads the CPU time of this database's backends (but the
// measuring connection's own) and of the server's background processes.
func (c *Cost) cpu(tb testing.TB) (backends, aux map[int]int64) {
	rows, err := c.conn.Query(context.Background(), `SELECT pid, datname IS NOT DISTINCT FROM current_database() AND backend_type = 'client backend'
		FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND (datname = current_database() OR backend_type <> 'client backend')`)
	if err != nil {
		tb.Fatal(err)
	}
	type proc struct {
		PID     int
		Backend bool
	}
	procs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[proc])
	if err != nil {
		tb.Fatal(err)
	}
	backends, aux = map[int]int64{}, map[int]int64{}
	for _, p := range procs {
		ns, ok := cpuNanos(p.PID)
		if !ok {
			return nil, nil // not on this machine, or not readable
		}
		if p.Backend {
			backends[p.PID] = ns
		} else {
			aux[p.PID] = ns
		}
	}
	return backends, aux
}

// cpuNanos is the CPU time process pid has run, from /proc/pid/schedstat.
func cpuNanos(pid int) (int64, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/schedstat", pid))
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0, false
	}
	ns, err := strconv.ParseInt(f[0], 10, 64)
	return ns, err == nil
}
