// Package pgtest gives tests a PostgreSQL database of their own.
//
// TFP_TEST_POSTGRES names the server (a URL to an existing database, such
// as postgres://postgres@127.0.0.1:5432/test); when it is unset the
// development default 127.0.0.1:5432 is tried. A server that cannot be
// reached skips the test with a message saying how to run it — unless
// TFP_TEST_POSTGRES is set or CI=true, when it fails the test.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultURL is the development and CI server.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/test"

// Database creates an empty database tfp_test_<random> on the server and
// returns its URL; it is dropped (with any connections left to it) when the
// test ends.
func Database(t testing.TB) string {
	t.Helper()
	admin, required := os.Getenv("TFP_TEST_POSTGRES"), os.Getenv("CI") == "true"
	if admin != "" {
		required = true
	} else {
		admin = DefaultURL
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		if required {
			t.Fatalf("PostgreSQL at %s is required (TFP_TEST_POSTGRES or CI=true) but unreachable: %v", admin, err)
		}
		t.Skipf("PostgreSQL not reachable at %s (%v); run these tests with TFP_TEST_POSTGRES=%s", admin, err, DefaultURL)
	}
	defer conn.Close(context.Background())
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "tfp_test_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("creating the test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Logf("dropping %s: %v", name, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("dropping %s: %v", name, err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
