// Command load drives a real tfpricing server over loopback and prints
// throughput and latency for each API path (see BENCHMARKS.md).
//
// It builds the binary (or takes -bin), starts it on 127.0.0.1:0 over a
// temporary data file with a fixed business date and a configuration that
// lifts the per-key rate limit, runs the chosen scenarios, and stops the
// server with SIGTERM. Load is open loop: request i is due at start + i/rate
// and its latency counts from that due time, so a server that falls behind
// cannot hide its queue (no coordinated omission).
//
//	go run ./test/load -scenario quote -rate 2000 -duration 30s
//	go run ./test/load -scenario attest -closed -clients 32
//	go run ./test/load -book 10000 -reprice -sweep
//	go run ./test/load -scenario all -md
//	go run ./test/load -scenario eligibility,quote,schedule,attest,hotattest -closed -duration 4s
//	go run ./test/load -soak 3m
//
// Unless -floors=false, every run with scenarios first measures the
// machine's floors — GET /healthz from -read-clients closed-loop clients
// and bbolt's raw fsync'd single-put commit rate (1 and 32 goroutines, in a
// small file of its own) — and ends with each path as a ratio to them.
//
// It is a main package without tests: go test ./... never runs it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

const maxDuration = 5 * time.Minute

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

type options struct {
	bin, dataDir, today, scenario, mix, logLevel string
	rate                                         float64
	duration, warmup, late, settle               time.Duration
	maxInflight, clients, loans, book, bookConc  int
	rateLimit                                    int
	closed, reprice, sweep, md, keep, verify     bool
	floors                                       bool
	floorDur, soak, soakTurn                     time.Duration
	readClients, soakLoans, soakClients          int
	soakMaxFile                                  int64
	replay, replayConc                           int
	seed                                         uint64
	serverEnv                                    stringList
	db                                           string
	replicas                                     int
}

const maxSoak = 30 * time.Minute

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "", "tfpricing binary to run (default: go build tfpricing/cmd/tfpricing into a temp dir)")
	flag.StringVar(&o.dataDir, "data", "", "directory for the data file and server log; an existing data file is reused (default: a temp dir, removed at the end)")
	flag.BoolVar(&o.keep, "keep", false, "keep the temp directory (data file, server log, config) at the end")
	flag.StringVar(&o.today, "today", "2027-03-10", "business date for the server (TFP_TODAY); loans are booked as of the year before")
	flag.StringVar(&o.scenario, "scenario", "", "healthz | eligibility | quote | schedule | attest | hotattest | all (comma-separated list allowed; all is every one but hotattest); empty: none.\nhotattest: -clients closed-loop clients attesting one loan (a verifier's bulk upload)")
	flag.Float64Var(&o.rate, "rate", 0, "open-loop request rate per second (0: per scenario — healthz/eligibility 5000, quote/schedule/attest 2000)")
	flag.DurationVar(&o.duration, "duration", 20*time.Second, "measured duration of each scenario (at most 5m)")
	flag.DurationVar(&o.warmup, "warmup", 3*time.Second, "unmeasured warm-up at the same rate before each scenario")
	flag.IntVar(&o.maxInflight, "max-inflight", 256, "open loop: most requests in flight at once (attest uses -clients)")
	flag.IntVar(&o.clients, "clients", 32, "attest: concurrent clients (in-flight bound in open loop; workers with -closed)")
	flag.BoolVar(&o.closed, "closed", false, "closed loop for every scenario, to find the maximum rate: attest with -clients workers back to back, the others with -read-clients")
	flag.IntVar(&o.readClients, "read-clients", 16, "closed loop: clients for healthz (the floor), eligibility, quote and schedule")
	flag.BoolVar(&o.floors, "floors", true, "with scenarios or -soak: measure the floors first (GET /healthz with -read-clients clients; bbolt's raw fsync'd single-put commits, 1 and 32 goroutines, in a temp file) and print every path as a ratio to them")
	flag.DurationVar(&o.floorDur, "floor-duration", 4*time.Second, "duration of each floor measurement (at most 1m; raw commits also stop at 200,000)")
	flag.DurationVar(&o.soak, "soak", 0, "soak mode (at most 30m): -soak-loans loans; quotes, attestations spread over the loans and schedule reads of one loan, -soak-clients closed-loop clients each, in turns of -soak-turn; per-minute throughput and p99 per path, the data file's size at the start and end, first and last minute side by side")
	flag.DurationVar(&o.soakTurn, "soak-turn", 5*time.Second, "soak: length of one path's turn")
	flag.IntVar(&o.soakLoans, "soak-loans", 200, "soak: loans in the book (booked when fewer)")
	flag.IntVar(&o.soakClients, "soak-clients", 8, "soak: closed-loop clients per path")
	flag.Int64Var(&o.soakMaxFile, "soak-max-file", 8<<30, "soak: stop early once the data file passes this many bytes (a loan's storage grows with the square of its events)")
	flag.DurationVar(&o.settle, "settle", 0, "after booking (or starting on an existing data file), also report memory after this long idle")
	flag.DurationVar(&o.late, "late", 2*time.Millisecond, "open loop: a request leaving later than this after its due time counts as late")
	flag.IntVar(&o.loans, "loans", 2000, "loans to book for the schedule and attest scenarios when -book is not given")
	flag.IntVar(&o.book, "book", 0, "data generator: book N realistic loans through POST /v1/loans with terms and report the rate")
	flag.IntVar(&o.bookConc, "book-clients", 8, "concurrent booking clients")
	flag.BoolVar(&o.reprice, "reprice", false, "after booking: publish an LPR fixing (POST /v1/benchmarks/lpr) and time the portfolio repricing")
	flag.BoolVar(&o.sweep, "sweep", false, "after booking: time POST /v1/admin/sweep")
	flag.BoolVar(&o.verify, "verify", false, "time GET /v1/audit/verify (the whole decision chain walked) as the auditor")
	flag.IntVar(&o.replay, "replay", 0, "time POST /v1/decisions/{id}/replay for decisions 1..N as the auditor")
	flag.IntVar(&o.replayConc, "replay-clients", 2, "concurrent replay clients")
	flag.StringVar(&o.mix, "mix", "varied", "eligibility/quote bodies: varied (the portfolio mix) or standard (5-year quarterly, 2 KPIs)")
	flag.Uint64Var(&o.seed, "seed", 1, "random seed of the data generator")
	flag.StringVar(&o.logLevel, "log-level", "info", "server log level (info logs one line per request, as in production)")
	flag.IntVar(&o.rateLimit, "rate-limit", 1_000_000, "server per-key rate limit (requests/s and burst) in the generated config")
	flag.BoolVar(&o.md, "md", false, "print a Markdown table of the results at the end")
	flag.StringVar(&o.db, "db", "", "a postgres:// URL to run the servers over instead of a temporary bbolt file")
	flag.IntVar(&o.replicas, "replicas", 1, "with -db: servers over the one database; requests go to each in turn")
	flag.Var(&o.serverEnv, "server-env", "extra KEY=VALUE for the server's environment (repeatable), e.g. for a profiling build")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run ./test/load [flags]\n\n"+
			"Starts tfpricing on loopback over a temp data file and measures it.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	if o.duration <= 0 || o.duration > maxDuration || o.warmup < 0 || o.warmup > time.Minute {
		return fmt.Errorf("-duration must be in (0, %v] and -warmup in [0, 1m]", maxDuration)
	}
	today, err := time.Parse(time.DateOnly, o.today)
	if err != nil {
		return fmt.Errorf("-today: %w", err)
	}
	scenarios, err := parseScenarios(o.scenario)
	if err != nil {
		return err
	}
	if o.mix != "varied" && o.mix != "standard" {
		return fmt.Errorf("-mix must be varied or standard")
	}
	if o.maxInflight < 1 || o.clients < 1 || o.bookConc < 1 || o.readClients < 1 || o.soakClients < 1 || o.soakLoans < 1 {
		return fmt.Errorf("-max-inflight, -clients, -read-clients, -book-clients, -soak-clients and -soak-loans must be positive")
	}
	if o.floorDur <= 0 || o.floorDur > time.Minute {
		return fmt.Errorf("-floor-duration must be in (0, 1m]")
	}
	if o.soak < 0 || o.soak > maxSoak || o.soak > 0 && (o.soakTurn < time.Second || o.soakTurn > o.soak) {
		return fmt.Errorf("-soak must be at most %v, and -soak-turn in [1s, -soak]", maxSoak)
	}

	dir := o.dataDir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "tfpricing-load-"); err != nil {
			return err
		}
		if !o.keep {
			defer os.RemoveAll(dir)
		} else {
			fmt.Println("keeping", dir)
		}
	} else if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	bin := o.bin
	if bin == "" {
		fmt.Println("building tfpricing …")
		if bin, err = buildBinary(dir); err != nil {
			return err
		}
	}
	cfg, err := writeConfig(dir, o.logLevel, o.rateLimit)
	if err != nil {
		return err
	}
	db := filepath.Join(dir, "tfpricing.db")
	if o.db != "" {
		db = o.db
	}
	t0 := time.Now()
	srv, err := startServer(bin, dir, db, cfg, o.today, o.serverEnv)
	if err != nil {
		return err
	}
	var replicas []*server
	for i := 1; i < o.replicas && o.db != ""; i++ {
		rdir := filepath.Join(dir, fmt.Sprint("replica-", i))
		if err := os.MkdirAll(rdir, 0o750); err != nil {
			return err
		}
		r, err := startServer(bin, rdir, db, cfg, o.today, append(o.serverEnv, "TFP_AUDIT_KEY="+filepath.Join(dir, "data", "tfpricing-audit.key")))
		if err != nil {
			return err
		}
		defer r.stop()
		srv.others = append(srv.others, r.URL)
		replicas = append(replicas, r)
	}
	fmt.Printf("tfpricing pid %d on %s, data %s (%.1f MiB), TFP_TODAY=%s, started in %v\n",
		srv.pid(), srv.URL, db, float64(fileSize(db))/(1<<20), o.today, time.Since(t0).Round(time.Millisecond))
	serverCPU = func() time.Duration {
		sum := srv.cpuTime()
		for _, r := range replicas {
			sum += r.cpuTime()
		}
		return sum
	}
	if o.db != "" {
		dbCPU = postgresCPU
	}

	// Stop the server on ^C too.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	finished := make(chan struct{})
	defer close(finished)
	go func() {
		select {
		case <-ctx.Done():
			fmt.Fprintln(os.Stderr, "interrupted; stopping tfpricing")
			_ = srv.stop()
			os.Exit(130)
		case <-finished:
		}
	}()

	if o.soak > 0 {
		err = soak(o, srv, dir, db, today)
	} else {
		err = measure(o, srv, dir, today, scenarios)
	}
	if serr := srv.stop(); serr != nil && err == nil {
		err = fmt.Errorf("stopping tfpricing: %w", serr)
	}
	fmt.Printf("\nserver stopped; log: %s\n", srv.LogPath)
	return err
}

func measure(o options, srv *server, dir string, today time.Time, scenarios []string) error {
	c := newClient(srv.URL, max(o.maxInflight, o.clients, o.bookConc))
	c.others = srv.others
	gen, err := newGenerator(c)
	if err != nil {
		return err
	}
	var results []*result
	var loans []loanSpec
	needLoans := false
	for _, s := range scenarios {
		needLoans = needLoans || s == "schedule" || durableScenario(s)
	}

	existing, err := listLoans(c)
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		fmt.Printf("data file holds %d loans already\n", len(existing))
	}
	toBook := o.book
	if toBook == 0 && needLoans && len(existing) < o.loans {
		toBook = o.loans - len(existing)
	}
	if toBook > 0 {
		booked, res, err := bookLoans(c, gen, toBook, o.bookConc, o.seed, today, len(existing))
		if err != nil {
			return err
		}
		res.print(os.Stdout)
		results = append(results, res)
		existing = append(existing, booked...)
	}
	if len(existing) > 0 {
		printMemory(srv, len(existing), o.settle)
	}
	loans = existing

	if o.sweep {
		if err := timeSweep(c, srv); err != nil {
			return err
		}
	}
	if o.reprice {
		if err := timeReprice(c, srv, today); err != nil {
			return err
		}
	}
	if o.verify {
		if err := timeVerify(c, srv); err != nil {
			return err
		}
	}
	if o.replay > 0 {
		res := timeReplay(c, o.replay, o.replayConc)
		res.print(os.Stdout)
		results = append(results, res)
	}

	var fl floors
	if o.floors && len(scenarios) > 0 {
		if fl, err = measureFloors(c, o, dir); err != nil {
			return err
		}
	}
	var paths []*result
	runID := fmt.Sprintf("%x", time.Now().UnixNano())
	for _, name := range scenarios {
		if (name == "schedule" || durableScenario(name)) && len(loans) == 0 {
			return errors.New("no loans to read or attest")
		}
		res := runScenario(c, o, name, gen, today, loans, runID)
		res.print(os.Stdout)
		fmt.Println("  " + srv.memLine())
		if res.note != "" {
			fmt.Println("  " + res.note)
		}
		results = append(results, res)
		paths = append(paths, res)
	}
	printRatios(fl, paths, o.md)
	if o.md && len(results) > 0 {
		fmt.Println()
		fmt.Println(mdHeader)
		for _, r := range results {
			fmt.Println(r.mdRow())
		}
	}
	return nil
}
