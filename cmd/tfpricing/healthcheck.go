package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// healthcheckCmd implements "healthcheck [--url URL]": GET /healthz of a
// running service, exit 0 on 200 and 1 otherwise. The distroless image has
// no shell or curl, so its HEALTHCHECK runs this.
func healthcheckCmd(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlagSet("healthcheck")
	url := fs.String("url", "", "the URL to probe (default http://ADDR/healthz with ADDR from TFP_ADDR or 127.0.0.1:8080)")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	if err := parseFlags(fs, args, stdout); err != nil {
		return helpIsOK(err)
	}
	target := *url
	if target == "" {
		target = "http://" + probeAddr(getenv("TFP_ADDR")) + "/healthz"
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return usageErrorFor(fs, "--url: "+err.Error())
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return &exitError{code: 1, err: fmt.Errorf("healthcheck %s: %w", target, err)}
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return &exitError{code: 1, err: fmt.Errorf("healthcheck %s: %s", target, resp.Status)}
	}
	fmt.Fprintf(stdout, "%s: %s\n", target, resp.Status)
	return nil
}

// probeAddr turns a listen address into one to dial: no address is the
// default, an unspecified host (":8080", "0.0.0.0:8080", "[::]:8080") is
// the loopback.
func probeAddr(addr string) string {
	if addr == "" {
		return "127.0.0.1:8080"
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
