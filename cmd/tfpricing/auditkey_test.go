package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The key is generated once, 0600, and read back the same; a configured
// key file must exist; a damaged one stops start-up.
func TestAuditKeyLifecycle(t *testing.T) {
	dir := t.TempDir()
	path, generate := auditKeyPath("", filepath.Join(dir, "data", "tfpricing.db"))
	if path != filepath.Join(dir, "data", defaultAuditKeyName) || !generate {
		t.Fatalf("default path %s %v", path, generate)
	}
	key, created, loose, err := loadAuditKey(path, generate)
	if err != nil || !created || loose || len(key) != ed25519.PrivateKeySize {
		t.Fatalf("first start: %v created=%v loose=%v", err, created, loose)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v", fi.Mode().Perm())
	}
	again, created, _, err := loadAuditKey(path, generate)
	if err != nil || created || !again.Equal(key) {
		t.Errorf("second start: %v created=%v same=%v", err, created, again.Equal(key))
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("files left beside the key: %v", entries)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, loose, _ := loadAuditKey(path, generate); !loose {
		t.Error("a world-readable key was not reported")
	}
	configured, generate := auditKeyPath(filepath.Join(dir, "elsewhere.key"), "")
	if _, _, _, err := loadAuditKey(configured, generate); err == nil {
		t.Error("a missing configured key was generated")
	}
	if err := os.WriteFile(configured, []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := loadAuditKey(configured, false); err == nil {
		t.Error("a damaged key was accepted")
	}
}

// The public key is read in each form the service hands it out.
func TestReadPublicKey(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(nil)
	der, _ := x509.MarshalPKIXPublicKey(pub)
	b64 := base64.StdEncoding.EncodeToString(pub)
	dir := t.TempDir()
	for name, text := range map[string]string{
		"pem":    string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})),
		"base64": b64 + "\n",
		"json":   fmt.Sprintf(`{"algorithm":"Ed25519","key_id":"x","public_key":%q,"public_key_pem":""}`, b64),
	} {
		path := filepath.Join(dir, name)
		_ = os.WriteFile(path, []byte(text), 0o600)
		got, err := readPublicKey(path)
		if err != nil || !bytes.Equal(got, pub) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, text := range map[string]string{"short": "AAAA", "private": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"} {
		path := filepath.Join(dir, name)
		_ = os.WriteFile(path, []byte(text), 0o600)
		if _, err := readPublicKey(path); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// Usage and open errors exit 2.
func TestAuditUsageErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.db")
	for _, args := range [][]string{
		{"audit"}, {"audit", "frobnicate"}, {"audit", "verify"}, {"audit", "verify", "--db", missing},
		{"audit", "verify", "--db", missing, "--checkpoint", "cp.json"},
		{"audit", "replay", "--db", missing}, {"audit", "replay", "--db", missing, "--all", "--id", "3"},
		{"audit", "replay", "--db", missing, "--id", "x"}, {"audit", "checkpoint", "--db", missing},
		{"backup", "--db", missing}, {"backup", "--db", missing, "--out", filepath.Join(t.TempDir(), "b.db")},
		{"audit", "verify", "--bogus"},
	} {
		var out bytes.Buffer
		err := run(context.Background(), args, func(string) string { return "" }, &out)
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != 2 {
			t.Errorf("%s: %v, want exit status 2", strings.Join(args, " "), err)
		}
	}
}
