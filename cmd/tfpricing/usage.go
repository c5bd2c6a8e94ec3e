package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// The command line answers every command and subcommand's -h/--help with
// its synopsis, flags and variables (exit 0), and refuses an unknown
// command, subcommand, flag or argument with the usage and exit status 2,
// before it touches anything (no data file, no listener).

// helpText is the help of one command: its synopsis, what it does, and the
// environment variables it reads.
type helpText struct {
	synopsis string
	about    string
	vars     string
}

var helps = map[string]helpText{
	"serve": {
		synopsis: "tfpricing [serve] [--addr HOST:PORT] [--db FILE] [--config FILE] [--dev]",
		about: "Run the HTTP API (the default command). Flags win over variables, variables over\n" +
			"the configuration file, the file over the embedded defaults.",
		vars: "  TFP_ADDR     listen address (default 127.0.0.1:8080)\n" +
			"  TFP_DB       bbolt data file (default ./data/tfpricing.db)\n" +
			"  TFP_CONFIG   configuration file (default: embedded)\n" +
			"  TFP_TODAY    fix the business date YYYY-MM-DD (test and what-if only)\n" +
			"  TFP_DEV=1    same as --dev: allow the public development keys in a\n" +
			"               configuration file or on a non-loopback address\n",
	},
	"catalogue validate": {
		synopsis: "tfpricing catalogue validate FILE...",
		about:    "Check catalogue documents and print every problem; exit 1 when any is invalid.",
	},
	"audit verify": {
		synopsis: "tfpricing audit verify --db FILE [--checkpoint CP.json]... [--public-key KEY]",
		about: "Walk the decision chain of a backup (or a stopped service's file) and name the\n" +
			"first broken record; each checkpoint (GET /v1/audit/checkpoint) must still match.\n" +
			"Exit 0 when all is well, 1 when a check fails, 2 on usage or open errors.",
	},
	"audit replay": {
		synopsis: "tfpricing audit replay --db FILE (--all | --id ID) [--verbose]",
		about:    "Recompute decisions from what they recorded and print every difference.",
	},
	"audit checkpoint": {
		synopsis: "tfpricing audit checkpoint --db FILE --key tfpricing-audit.key > cp.json",
		about:    "Verify the chain of a data file and sign its head with the service's key.",
	},
	"backup": {
		synopsis: "tfpricing backup --db FILE|postgres://… --out FILE",
		about: "Copy a data file no service holds (back up a running service with\n" +
			"GET /v1/admin/backup). Given a postgres:// URL, read the book in one REPEATABLE\n" +
			"READ, read-only transaction (replicas may keep running) and write it as a new bbolt\n" +
			"file, the portable file the audit tools read; its chain is verified. An existing\n" +
			"--out is not overwritten.",
	},
	"migrate": {
		synopsis: "tfpricing migrate --from FILE --to postgres://…",
		about: "Copy the loan book of a data file no service holds into an empty PostgreSQL\n" +
			"database (its schema is created if missing; a database holding any loan, quote or\n" +
			"decision is refused) in one transaction: decision records byte for byte, every\n" +
			"other record, and the counters, so new ids continue. The decision chain is verified\n" +
			"on both sides and must end at the same head. Prints the counts and the time taken.\n" +
			"Exit 0 when all is well, 1 when a check fails, 2 on usage or open errors.",
	},
	"compact": {
		synopsis: "tfpricing compact --from FILE --to NEW",
		about: "Rewrite a data file no service holds into a new file as bbolt's own compaction\n" +
			"does (free pages dropped), with records an older file holds uncompressed stored\n" +
			"compressed (their JSON and hashes unchanged), then check NEW's pages and verify its\n" +
			"decision chain, which must end at FILE's head. FILE is only read; an existing NEW\n" +
			"is not overwritten; a FILE still locked after 1 s (a running service) is refused.\n" +
			"Prints the sizes before and after. Exit 0 when all is well, 1 when a check fails,\n" +
			"2 on usage or open errors.",
	},
	"healthcheck": {
		synopsis: "tfpricing healthcheck [--url URL]",
		about: "GET /healthz of a running service; exit 0 when it answers 200, 1 otherwise.\n" +
			"For container health checks in images without a shell or curl.",
		vars: "  TFP_ADDR     the service's listen address, when --url is not given\n" +
			"               (an unspecified host such as 0.0.0.0 means 127.0.0.1)\n",
	},
}

// newFlagSet returns a flag set named after a key of helps whose errors and
// help go through parseFlags.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// errHelp is returned when help was printed: a clean exit.
var errHelp = flag.ErrHelp

// parseFlags parses a command's flags. -h/--help prints the command's help
// to stdout and returns errHelp; a bad flag or a stray argument is a usage
// error carrying the help. Positional arguments are refused unless
// positional is true.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer, positional ...bool) error {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		printHelp(stdout, fs)
		return errHelp
	case err != nil:
		return usageErrorFor(fs, err.Error())
	case fs.NArg() > 0 && !(len(positional) > 0 && positional[0]):
		return usageErrorFor(fs, "unexpected argument "+fs.Arg(0))
	}
	return nil
}

// helpIsOK turns a printed help into a clean exit.
func helpIsOK(err error) error {
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}

// printHelp writes a command's synopsis, description, flags and variables.
func printHelp(w io.Writer, fs *flag.FlagSet) {
	h := helps[fs.Name()]
	fmt.Fprintf(w, "usage: %s\n\n%s\n", h.synopsis, h.about)
	var flags strings.Builder
	fs.VisitAll(func(f *flag.Flag) {
		name, u := flag.UnquoteUsage(f)
		fmt.Fprintf(&flags, "  %s\n      %s", strings.TrimSpace("--"+f.Name+" "+name), u)
		if f.DefValue != "" && f.DefValue != "false" {
			fmt.Fprintf(&flags, " (default %s)", f.DefValue)
		}
		flags.WriteString("\n")
	})
	fmt.Fprintf(w, "\nflags:\n%s  -h, --help\n      print this help\n", flags.String())
	if h.vars != "" {
		fmt.Fprintf(w, "\nvariables:\n%s", h.vars)
	}
}

// usageErrorFor is a usage error (exit 2) followed by the command's help.
func usageErrorFor(fs *flag.FlagSet, msg string) error {
	var b strings.Builder
	printHelp(&b, fs)
	return &exitError{code: 2, err: fmt.Errorf("%s\n\n%s", msg, strings.TrimRight(b.String(), "\n"))}
}

// usageError is a usage error (exit 2) pointing at the overall usage.
func usageError(msg string) error {
	return &exitError{code: 2, err: fmt.Errorf("%s\n\n%s", msg, strings.TrimRight(usage, "\n"))}
}

// isHelp reports whether an argument asks for help.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "--help" || arg == "-help" || arg == "help"
}
