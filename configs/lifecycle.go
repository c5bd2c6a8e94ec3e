package configs

import (
	"bytes"
	"fmt"
	"os"

	"go.yaml.in/yaml/v3"

	"tfpricing"
)

// Lifecycle configures proposals and four eyes (DESIGN.md §5.1).
type Lifecycle struct {
	// ProposalValidityDays is how long a proposal stays pending (default 30).
	ProposalValidityDays int `yaml:"proposal_validity_days"`
	// FourEyesReferenceData makes POST /v1/benchmarks/lpr a proposal that
	// an approver confirms. False in development; true in production.
	FourEyesReferenceData bool `yaml:"four_eyes_reference_data"`
	// VerifiersFile is a YAML list of accredited verification bodies
	// (name, accreditation, valid_from, valid_to). Empty: no list, any
	// verifier may attest.
	VerifiersFile string `yaml:"verifiers_file"`
}

// AccreditedVerifier is one entry of the verifiers file.
type AccreditedVerifier struct {
	Name          string
	Accreditation string
	ValidFrom     tfpricing.Date
	ValidTo       tfpricing.Date // zero: open-ended
}

type verifierDoc struct {
	Verifiers []struct {
		Name          string `yaml:"name"`
		Accreditation string `yaml:"accreditation"`
		ValidFrom     string `yaml:"valid_from"`
		ValidTo       string `yaml:"valid_to"`
	} `yaml:"verifiers"`
}

// LoadVerifiers reads the accredited verifiers file, if one is configured;
// every problem names the entry and field.
func (c *Config) LoadVerifiers() ([]AccreditedVerifier, error) {
	if c.Lifecycle.VerifiersFile == "" {
		return nil, nil
	}
	raw, err := os.ReadFile(c.Lifecycle.VerifiersFile)
	if err != nil {
		return nil, fmt.Errorf("verifiers: %w", err)
	}
	return ParseVerifiers(c.Lifecycle.VerifiersFile, raw)
}

// ParseVerifiers parses a verifiers document: {verifiers: [{name,
// accreditation, valid_from, valid_to}]}.
func ParseVerifiers(name string, raw []byte) ([]AccreditedVerifier, error) {
	var doc verifierDoc
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("verifiers %s: %w", name, err)
	}
	out := make([]AccreditedVerifier, len(doc.Verifiers))
	for i, v := range doc.Verifiers {
		p := fmt.Sprintf("verifiers %s: verifiers[%d]", name, i)
		if v.Name == "" || v.Accreditation == "" {
			return nil, fmt.Errorf("%s: name and accreditation are required", p)
		}
		from, err := tfpricing.ParseDate(v.ValidFrom)
		if err != nil {
			return nil, fmt.Errorf("%s.valid_from: %w", p, err)
		}
		var to tfpricing.Date
		if v.ValidTo != "" {
			if to, err = tfpricing.ParseDate(v.ValidTo); err != nil {
				return nil, fmt.Errorf("%s.valid_to: %w", p, err)
			}
			if to.Before(from) {
				return nil, fmt.Errorf("%s.valid_to: before valid_from", p)
			}
		}
		out[i] = AccreditedVerifier{Name: v.Name, Accreditation: v.Accreditation, ValidFrom: from, ValidTo: to}
	}
	return out, nil
}
