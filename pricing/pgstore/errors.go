package pgstore

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"tfpricing"
)

// subFS is the migrations directory as goose reads it.
func subFS() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	return sub
}

// classify turns a database that cannot be reached (down, restarting,
// connections refused or cut, server shutting down) into EUNAVAILABLE — a
// 503 the client may retry; the transaction did not commit, or its outcome
// is unknown and a retry with the same Idempotency-Key is safe. Domain
// errors pass unchanged.
func classify(err error) error {
	if err == nil || tfpricing.ErrorCode(err) != tfpricing.EINTERNAL {
		return err
	}
	if isUnavailable(err) {
		return unavailable(err)
	}
	return err
}

func isUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code[:2] {
		case "08", "53", "57": // connection exception, insufficient resources, operator intervention
			return true
		}
		return false
	}
	var ne net.Error
	var ce *pgconn.ConnectError
	return errors.As(err, &ne) || errors.As(err, &ce) || pgconn.SafeToRetry(err) || pgconn.Timeout(err) ||
		errors.Is(err, context.DeadlineExceeded) || isClosed(err)
}

func isClosed(err error) bool {
	s := err.Error()
	for _, m := range []string{"conn closed", "closed pool", "unexpected EOF", "connection reset", "broken pipe", "failed to connect"} {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

func unavailable(err error) error {
	return &tfpricing.Error{Code: tfpricing.EUNAVAILABLE, Message: "the database is unavailable; try again later", Err: err}
}

// retryable reports a transaction PostgreSQL aborted to keep it
// serialisable or free of deadlock: run it again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}
