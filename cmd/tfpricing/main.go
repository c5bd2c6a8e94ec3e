// Command tfpricing runs the transition-finance loan pricing service and its
// offline tools.
//
//	tfpricing [serve] [--addr A] [--db FILE] [--config FILE]
//	tfpricing catalogue validate FILE...
//
// main only wires: it calls run and turns its error into an exit status.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
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
	if len(args) > 0 {
		switch args[0] {
		case "serve":
			return serve(ctx, args[1:], getenv, stdout)
		case "catalogue", "catalog":
			return catalogueCmd(args[1:], stdout)
		case "help", "-h", "--help":
			fmt.Fprint(stdout, usage)
			return nil
		}
	}
	return serve(ctx, args, getenv, stdout)
}

const usage = `tfpricing — transition-finance loan pricing service

  tfpricing [serve] [--addr HOST:PORT] [--db FILE] [--config FILE]
      run the HTTP API (default 127.0.0.1:8080, ./data/tfpricing.db,
      embedded configuration); TFP_ADDR, TFP_DB, TFP_CONFIG, TFP_TODAY override
  tfpricing catalogue validate FILE...
      check catalogue documents and print every problem
`
