// Package configs holds the service configuration and the reference data
// shipped inside the binary: the default config, the catalogue versions, the
// pricing policies and the LPR history. Load is the only place in the module
// that reads the environment.
package configs

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"tfpricing"
)

//go:embed default.yaml catalog/*.yaml policy/*.yaml lpr/*.yaml
var embedded embed.FS

// Shanghai is the business time zone. China has kept UTC+8 without daylight
// saving since 1991, so a fixed zone is exact and needs no tz database.
var Shanghai = time.FixedZone("Asia/Shanghai", 8*3600)

// Key is one configured API key. Only the SHA-256 of the token is kept.
type Key struct {
	ID     string         `yaml:"id"`
	Name   string         `yaml:"name"`
	Role   tfpricing.Role `yaml:"role"`
	SHA256 string         `yaml:"sha256"`
	// Verifiers limits a verifier key to attesting in these organisations'
	// names; empty means any.
	Verifiers []string `yaml:"verifiers"`
}

// RateLimit is the per-key request budget (0 per_second disables it).
type RateLimit struct {
	PerSecond int `yaml:"per_second"`
	Burst     int `yaml:"burst"`
}

// TLS names a certificate and key; both empty serves plain HTTP.
type TLS struct {
	CertFile string `yaml:"cert_file"`
	KeyFile  string `yaml:"key_file"`
}

// Server holds the HTTP server protections.
type Server struct {
	ReadHeaderTimeout time.Duration `yaml:"read_header_timeout"`
	ReadTimeout       time.Duration `yaml:"read_timeout"`
	WriteTimeout      time.Duration `yaml:"write_timeout"`
	IdleTimeout       time.Duration `yaml:"idle_timeout"`
	ShutdownTimeout   time.Duration `yaml:"shutdown_timeout"`
	BodyLimitBytes    int64         `yaml:"body_limit_bytes"`
	RateLimit         RateLimit     `yaml:"rate_limit"`
	TLS               TLS           `yaml:"tls"`
}

// Data names directories and files that replace the embedded reference data.
type Data struct {
	CatalogDir string `yaml:"catalog_dir"`
	PolicyDir  string `yaml:"policy_dir"`
	LPRFile    string `yaml:"lpr_file"`
}

// Audit configures the audit trail.
type Audit struct {
	// SigningKeyFile is the Ed25519 key (PEM PKCS #8) that signs
	// checkpoints; empty: tfpricing-audit.key next to the data file,
	// generated on the first start.
	SigningKeyFile string `yaml:"signing_key_file"`
}

// Quotes holds the plausibility limits of quotes (pricing.Plausibility).
type Quotes struct {
	// MaxStartAheadDays is the latest start date a quote accepts, in days
	// after its as_of.
	MaxStartAheadDays int `yaml:"max_start_ahead_days"`
}

// Config is the whole service configuration.
type Config struct {
	Addr          string        `yaml:"addr"`
	AdminAddr     string        `yaml:"admin_addr"`
	DB            string        `yaml:"db"`
	DBLockTimeout time.Duration `yaml:"db_lock_timeout"`
	// DBPoolSize is the PostgreSQL connection pool's size per replica
	// (0: 16); unused with a bbolt file.
	DBPoolSize int32     `yaml:"db_pool_size"`
	Today      string    `yaml:"today"`
	LogLevel   string    `yaml:"log_level"`
	LogFormat  string    `yaml:"log_format"`
	Server     Server    `yaml:"server"`
	Data       Data      `yaml:"data"`
	Audit      Audit     `yaml:"audit"`
	Quotes     Quotes    `yaml:"quotes"`
	Keys       []Key     `yaml:"keys"`
	Lifecycle  Lifecycle `yaml:"lifecycle"`

	// FixedToday is Today parsed; zero when the business date follows the clock.
	FixedToday tfpricing.Date `yaml:"-"`
	// Source says where the config came from, for the start-up log.
	Source string `yaml:"-"`
}

// Flags are the command-line overrides; empty strings mean "not given".
type Flags struct {
	Addr   string
	DB     string
	Config string
	// Dev allows a configuration file that still holds the public
	// development keys.
	Dev bool
}

// Load builds the configuration: embedded defaults, then the file named by
// --config or TFP_CONFIG, then TFP_ADDR/TFP_DB/TFP_TODAY/TFP_AUDIT_KEY, then
// the flags.
// TFP_DEV=1 is the same as --dev.
// getenv is os.Getenv in production and a map lookup in tests.
func Load(getenv func(string) string, flags Flags) (*Config, error) {
	def, err := embedded.ReadFile("default.yaml")
	if err != nil {
		return nil, fmt.Errorf("configs: embedded default: %w", err)
	}
	var c Config
	if err := decode(def, &c); err != nil {
		return nil, fmt.Errorf("configs: embedded default: %w", err)
	}
	c.Source = "embedded default"
	path := first(flags.Config, getenv("TFP_CONFIG"))
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("configs: %w", err)
		}
		c.Keys = nil // a config file states its own keys; never merge in the dev keys
		if err := decode(b, &c); err != nil {
			return nil, fmt.Errorf("configs: %s: %w", path, err)
		}
		c.Source = path
	}
	c.Addr = first(flags.Addr, getenv("TFP_ADDR"), c.Addr)
	c.DB = first(flags.DB, getenv("TFP_DB"), c.DB)
	c.Today = first(getenv("TFP_TODAY"), c.Today)
	c.Audit.SigningKeyFile = first(getenv("TFP_AUDIT_KEY"), c.Audit.SigningKeyFile)
	if err := c.validate(); err != nil {
		return nil, err
	}
	dev := flags.Dev || getenv("TFP_DEV") == "1"
	if ids := c.DevKeysInUse(); path != "" && len(ids) > 0 && !dev {
		return nil, fmt.Errorf("configs: %s configures the public development keys %v; remove them, or pass --dev for a development setup", path, ids)
	}
	if ids := c.DevKeysInUse(); len(ids) > 0 && !dev && !IsLoopback(c.Addr) {
		return nil, fmt.Errorf("configs: refusing to serve the public development keys %v on the non-loopback address %s; configure real keys (--config), or pass --dev (TFP_DEV=1) for a development setup", ids, c.Addr)
	}
	return &c, nil
}

func decode(b []byte, c *Config) error {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil {
		return err
	}
	return nil
}

func (c *Config) validate() error {
	var problems []string
	if c.Addr == "" {
		problems = append(problems, "addr: required")
	}
	if c.DB == "" {
		problems = append(problems, "db: required")
	}
	if c.Today != "" {
		d, err := tfpricing.ParseDate(c.Today)
		if err != nil {
			problems = append(problems, "today (TFP_TODAY): "+err.Error())
		}
		c.FixedToday = d
	}
	if c.DBPoolSize < 0 {
		problems = append(problems, "db_pool_size: must not be negative")
	}
	if c.DBLockTimeout <= 0 {
		problems = append(problems, "db_lock_timeout: must be positive")
	}
	if c.Server.BodyLimitBytes <= 0 {
		problems = append(problems, "server.body_limit_bytes: must be positive")
	}
	if (c.Server.TLS.CertFile == "") != (c.Server.TLS.KeyFile == "") {
		problems = append(problems, "server.tls: cert_file and key_file go together")
	}
	if n := c.Quotes.MaxStartAheadDays; n < 1 || n > 3660 {
		problems = append(problems, "quotes.max_start_ahead_days: must be from 1 to 3660")
	}
	if c.Server.RateLimit.PerSecond < 0 || c.Server.RateLimit.Burst < 0 {
		problems = append(problems, "server.rate_limit: must not be negative")
	}
	seen := map[string]bool{}
	for i, k := range c.Keys {
		p := fmt.Sprintf("keys[%d]", i)
		if k.ID == "" {
			problems = append(problems, p+".id: required")
		} else if seen[k.ID] {
			problems = append(problems, p+".id: duplicate "+k.ID)
		}
		seen[k.ID] = true
		if !k.Role.Valid() {
			problems = append(problems, fmt.Sprintf("%s.role: %q is not a role", p, k.Role))
		}
		if !isHex64(k.SHA256) {
			problems = append(problems, p+".sha256: must be 64 lower-case hex characters")
		}
	}
	if c.Lifecycle.ProposalValidityDays < 1 {
		problems = append(problems, "lifecycle.proposal_validity_days: must be at least 1")
	}
	if len(problems) > 0 {
		return fmt.Errorf("configs: invalid configuration (%s):\n  %s", c.Source, strings.Join(problems, "\n  "))
	}
	return nil
}

// DevKeysInUse returns the ids of configured keys whose token is one of the
// public development tokens, so start-up can warn loudly.
func (c *Config) DevKeysInUse() []string {
	var ids []string
	for _, k := range c.Keys {
		for _, r := range tfpricing.Roles {
			sum := sha256.Sum256([]byte("tfp-dev-" + string(r)))
			if k.SHA256 == hex.EncodeToString(sum[:]) {
				ids = append(ids, k.ID)
			}
		}
	}
	return ids
}

func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func isHex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return false
		}
	}
	return true
}
