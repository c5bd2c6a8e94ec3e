package main

import (
	"fmt"
	"io"

	"tfpricing/catalog"
)

// catalogueCmd implements "catalogue validate FILE...": every problem of
// every file on its own line, exit status 1 when any file is invalid. A
// valid file's warnings (a cited standard not yet in force on its
// effective_from) are printed too but do not fail it.
func catalogueCmd(args []string, stdout io.Writer) error {
	switch {
	case len(args) == 0:
		return usageError("catalogue needs a subcommand: validate")
	case isHelp(args[0]):
		printHelp(stdout, newFlagSet("catalogue validate"))
		return nil
	case args[0] != "validate":
		return usageError(fmt.Sprintf("unknown catalogue subcommand %q", args[0]))
	}
	fs := newFlagSet("catalogue validate")
	if err := parseFlags(fs, args[1:], stdout, true); err != nil {
		return helpIsOK(err)
	}
	files := fs.Args()
	if len(files) == 0 {
		return usageErrorFor(fs, "catalogue validate needs at least one FILE")
	}
	bad := 0
	for _, path := range files {
		problems := catalog.ValidateFile(path)
		for _, p := range problems {
			fmt.Fprintln(stdout, p)
		}
		if len(problems) > 0 {
			bad++
			continue
		}
		for _, w := range catalog.WarnFile(path) {
			fmt.Fprintln(stdout, w)
		}
		fmt.Fprintf(stdout, "%s: ok\n", path)
	}
	if bad > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%d of %d catalogue files invalid", bad, len(files))}
	}
	return nil
}
