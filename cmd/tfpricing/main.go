// Command tfpricing runs the transition-finance loan pricing service and its
// offline tools.
//
//	tfpricing [serve] [--addr A] [--db FILE] [--config FILE]
//	tfpricing catalogue validate FILE...
//	tfpricing audit verify|replay|checkpoint --db FILE ...
//	tfpricing backup --db FILE|URL --out FILE
//	tfpricing migrate --from FILE --to URL
//	tfpricing compact --from FILE --to NEW
//	tfpricing healthcheck [--url URL]
//
// main only wires: it calls run and turns its error into an exit status.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "tfpricing:", err)
		os.Exit(exitCode(err))
	}
}

// exitError carries a specific exit status (1 for a failed check, 2 for
// usage or start-up errors).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func exitCode(err error) int {
	if e, ok := err.(*exitError); ok {
		return e.code
	}
	return 1
}

// run dispatches the subcommand. Everything the program touches from the
// outside world comes in as an argument, so tests call it directly.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && !isHelp(args[0]) {
		return serve(ctx, args, getenv, stdout) // flags only: the default command
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], getenv, stdout)
	case "catalogue", "catalog":
		return catalogueCmd(args[1:], stdout)
	case "audit":
		return auditCmd(ctx, args[1:], stdout)
	case "backup":
		return backupCmd(ctx, args[1:], stdout)
	case "migrate":
		return migrateCmd(ctx, args[1:], stdout)
	case "compact":
		return compactCmd(ctx, args[1:], stdout)
	case "healthcheck":
		return healthcheckCmd(ctx, args[1:], getenv, stdout)
	}
	if isHelp(args[0]) {
		_, err := fmt.Fprint(stdout, usage)
		return err
	}
	return usageError(fmt.Sprintf("unknown command %q", args[0]))
}

const usage = `tfpricing — transition-finance loan pricing service

  tfpricing [serve] [--addr HOST:PORT] [--db FILE] [--config FILE] [--dev]
      run the HTTP API (default 127.0.0.1:8080, ./data/tfpricing.db,
      embedded configuration); TFP_ADDR, TFP_DB, TFP_CONFIG, TFP_TODAY and
      TFP_DEV=1 (same as --dev) override
  tfpricing catalogue validate FILE...
      check catalogue documents and print every problem

  Offline audit tools. They open the data file read-only: a backup (GET
  /v1/admin/backup) or the file of a stopped service. Exit status 0 when
  all is well, 1 when a check fails, 2 on usage or open errors.

  tfpricing audit verify --db FILE [--checkpoint CP.json]... [--public-key KEY]
      walk the decision chain and name the first broken record; each
      checkpoint (GET /v1/audit/checkpoint) must still match, which catches a
      history rewritten and rehashed after it. KEY: PEM, base64 or the JSON
      of GET /v1/audit/public-key
  tfpricing audit replay --db FILE (--all | --id ID) [--verbose]
      recompute decisions from what they recorded and print every difference
  tfpricing audit checkpoint --db FILE --key tfpricing-audit.key > cp.json
      verify the chain and sign its head with the service's key
  tfpricing backup --db FILE --out FILE
      copy a data file no service holds (a running one: GET /v1/admin/backup)
  tfpricing backup --db postgres://… --out FILE
      write a PostgreSQL book, read in one snapshot, as a new bbolt file that
      the audit tools read; its chain is verified
  tfpricing migrate --from FILE --to postgres://…
      copy a data file no service holds into an empty PostgreSQL database in
      one transaction; the chain is verified on both sides (same head)
  tfpricing compact --from FILE --to NEW
      rewrite a data file no service holds into NEW with bbolt's compaction;
      NEW's pages are checked and its decision chain verified
  tfpricing healthcheck [--url URL]
      exit 0 when the service's /healthz answers 200 (container probes)
  tfpricing help | COMMAND --help
      this text, or one command's synopsis, flags and variables
`
