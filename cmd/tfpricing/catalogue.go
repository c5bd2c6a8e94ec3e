package main

import (
	"errors"
	"fmt"
	"io"

	"tfpricing/catalog"
)

// catalogueCmd implements "catalogue validate FILE...": every problem of
// every file on its own line, exit status 1 when any file is invalid. A
// valid file's warnings (a cited standard not yet in force on its
// effective_from) are printed too but do not fail it.
func catalogueCmd(args []string, stdout io.Writer) error {
	if len(args) < 2 || args[0] != "validate" {
		return &exitError{code: 2, err: errors.New("usage: tfpricing catalogue validate FILE...")}
	}
	bad := 0
	for _, path := range args[1:] {
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
		return &exitError{code: 1, err: fmt.Errorf("%d of %d catalogue files invalid", bad, len(args)-1)}
	}
	return nil
}
