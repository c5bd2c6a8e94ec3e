package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/rs/zerolog"

	"tfpricing/configs"
	"tfpricing/pricing/audit"
)

// The checkpoint signing key (DESIGN.md §6). It is an Ed25519 private key
// in a PEM "PRIVATE KEY" block (PKCS #8), the form openssl reads:
//
//	openssl pkey -in tfpricing-audit.key -pubout
//
// prints its public key. Unless audit.signing_key_file names one, the key
// lives next to the data file as tfpricing-audit.key and is generated on
// the first start, mode 0600. A configured file must exist: a key the
// operator placed is never replaced by a new one.

// defaultAuditKeyName is the key's file name in the data directory.
const defaultAuditKeyName = "tfpricing-audit.key"

// auditKeyPath is where the signing key is read from: the configured file,
// or the data directory's default one.
func auditKeyPath(configured, db string) (path string, generate bool) {
	if configured != "" {
		return configured, false
	}
	if isPostgres(db) {
		// Replicas must share one key (audit.signing_key_file or
		// TFP_AUDIT_KEY); alone, a replica keeps its own under ./data.
		return filepath.Join("data", defaultAuditKeyName), true
	}
	return filepath.Join(filepath.Dir(db), defaultAuditKeyName), true
}

// loadAuditKey reads the signing key at path, generating it first when it
// is missing and generate is set. created reports a new key; loose reports
// a key file others than its owner may read.
func loadAuditKey(path string, generate bool) (key ed25519.PrivateKey, created, loose bool, err error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) && generate {
		if err := createAuditKey(path); err != nil {
			return nil, false, false, fmt.Errorf("generating the audit signing key %s: %w", path, err)
		}
		created = true
		fi, err = os.Stat(path)
	}
	if err != nil {
		return nil, false, false, fmt.Errorf("audit signing key: %w", err)
	}
	key, err = readPrivateKey(path)
	return key, created, fi.Mode().Perm()&0o077 != 0, err
}

// createAuditKey writes a new key atomically: a crash leaves either no key
// file or a whole one.
func createAuditKey(path string) error {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".tfpricing-audit-*.key")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // a no-op once renamed
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if err := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// readPrivateKey reads an Ed25519 private key from a PEM PKCS #8 file.
func readPrivateKey(path string) (ed25519.PrivateKey, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("audit signing key: %w", err)
	}
	block, _ := pem.Decode(raw)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("audit signing key %s: not a PEM \"PRIVATE KEY\" block", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("audit signing key %s: %w", path, err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("audit signing key %s: a %T, not an Ed25519 key", path, k)
	}
	return priv, nil
}

// readPublicKey reads an Ed25519 public key in any form the service hands
// out: a PEM "PUBLIC KEY" block, the JSON of GET /v1/audit/public-key, or
// the standard base64 of the 32 bytes.
func readPublicKey(path string) (ed25519.PublicKey, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	fail := func(why string) (ed25519.PublicKey, error) {
		return nil, fmt.Errorf("public key %s: %s", path, why)
	}
	if block, _ := pem.Decode(raw); block != nil {
		if block.Type != "PUBLIC KEY" {
			return fail(fmt.Sprintf("a PEM %q block, not \"PUBLIC KEY\"", block.Type))
		}
		k, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return fail(err.Error())
		}
		pub, ok := k.(ed25519.PublicKey)
		if !ok {
			return fail(fmt.Sprintf("a %T, not an Ed25519 key", k))
		}
		return pub, nil
	}
	text := strings.TrimSpace(string(raw))
	var doc struct {
		PublicKey string `json:"public_key"`
	}
	if strings.HasPrefix(text, "{") {
		if err := json.Unmarshal([]byte(text), &doc); err != nil {
			return fail(err.Error())
		}
		text = doc.PublicKey
	}
	b, err := base64.StdEncoding.DecodeString(text)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return fail("neither PEM, nor the JSON of /v1/audit/public-key, nor base64 of 32 bytes")
	}
	return ed25519.PublicKey(b), nil
}

// startAuditKey loads (or, the first time, generates) the signing key for
// the server and logs which it is.
func startAuditKey(cfg *configs.Config, log zerolog.Logger) (ed25519.PrivateKey, error) {
	path, generate := auditKeyPath(cfg.Audit.SigningKeyFile, cfg.DB)
	key, created, loose, err := loadAuditKey(path, generate)
	if err != nil {
		return nil, err
	}
	pub, _ := key.Public().(ed25519.PublicKey)
	ev := log.Info()
	if loose {
		ev = log.Warn().Str("advice", "chmod 600 the key file")
	}
	ev.Str("file", path).Str("key_id", audit.CheckpointKeyID(pub)).Bool("generated", created).
		Msg("audit signing key loaded")
	return key, nil
}
