package configs

import "net"

// IsLoopback reports whether a listen address binds only the loopback
// interface: "localhost" or a loopback IP. An empty or unspecified host
// (":8080", "0.0.0.0:8080", "[::]:8080") listens on every interface.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
