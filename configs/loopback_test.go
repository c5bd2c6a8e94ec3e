package configs

import (
	"strings"
	"testing"
)

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "127.0.0.1:0": true, "localhost:8080": true, "[::1]:8080": true,
		"127.1.2.3:80": true, // all of 127/8 is loopback
		":8080":        false, "0.0.0.0:8080": false, "[::]:8080": false, "10.0.0.5:8080": false,
		"example.org:80": false, "127.0.0.1": false, // no port: not a listen address
	} {
		if got := IsLoopback(addr); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", addr, got, want)
		}
	}
}

// The embedded configuration's development keys are served only on the
// loopback unless --dev or TFP_DEV=1 says this is a development setup.
func TestDevKeysRefusedOffLoopback(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	if _, err := Load(env(nil), Flags{}); err != nil {
		t.Fatalf("default loopback address refused: %v", err)
	}
	_, err := Load(env(nil), Flags{Addr: "0.0.0.0:8080"})
	if err == nil || !strings.Contains(err.Error(), "--dev") || !strings.Contains(err.Error(), "0.0.0.0:8080") {
		t.Fatalf("development keys on 0.0.0.0 not refused: %v", err)
	}
	if _, err := Load(env(map[string]string{"TFP_ADDR": ":8080"}), Flags{}); err == nil {
		t.Error("development keys on :8080 (TFP_ADDR) not refused")
	}
	if _, err := Load(env(nil), Flags{Addr: "0.0.0.0:8080", Dev: true}); err != nil {
		t.Errorf("--dev did not allow them: %v", err)
	}
	if _, err := Load(env(map[string]string{"TFP_DEV": "1", "TFP_ADDR": "0.0.0.0:8080"}), Flags{}); err != nil {
		t.Errorf("TFP_DEV=1 did not allow them: %v", err)
	}
}
