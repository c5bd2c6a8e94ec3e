package configs

import (
	"fmt"

	"tfpricing/catalog"
	"tfpricing/pricing"
)

// Reference is the reference data the service prices with, parsed and
// validated: every catalogue version, every policy version and the shipped
// LPR history.
type Reference struct {
	Catalogues *catalog.Set
	Policies   *pricing.PolicySet
	Fixings    pricing.Curve
}

// LoadReference parses every reference document the configuration names
// (or the embedded ones). Any problem stops start-up with the file and the
// path inside it.
func (c *Config) LoadReference() (*Reference, error) {
	ref := &Reference{}
	files, err := c.CatalogFiles()
	if err != nil {
		return nil, err
	}
	cats := make([]*catalog.Catalogue, 0, len(files))
	for _, f := range files {
		cat, err := catalog.Parse(f.Name, f.Data)
		if err != nil {
			return nil, fmt.Errorf("catalogue: %w", err)
		}
		cats = append(cats, cat)
	}
	if ref.Catalogues, err = catalog.NewSet(cats...); err != nil {
		return nil, fmt.Errorf("catalogue: %w", err)
	}
	if files, err = c.PolicyFiles(); err != nil {
		return nil, err
	}
	pols := make([]*pricing.Policy, 0, len(files))
	for _, f := range files {
		p, err := pricing.ParsePolicy(f.Name, f.Data)
		if err != nil {
			return nil, fmt.Errorf("policy: %w", err)
		}
		pols = append(pols, p)
	}
	if ref.Policies, err = pricing.NewPolicySet(pols...); err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	lpr, err := c.LPRFile()
	if err != nil {
		return nil, err
	}
	fixings, err := pricing.ParseFixings(lpr.Name, lpr.Data)
	if err != nil {
		return nil, fmt.Errorf("LPR history: %w", err)
	}
	if ref.Fixings, err = pricing.NewCurve(fixings); err != nil {
		return nil, fmt.Errorf("LPR history %s: %w", lpr.Name, err)
	}
	return ref, nil
}
