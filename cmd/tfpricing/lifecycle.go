package main

import (
	"tfpricing/configs"
	"tfpricing/pricing/loanbook"
)

// lifecycleVerifiers loads the accredited verification bodies the
// configuration names (none: no restriction).
func lifecycleVerifiers(cfg *configs.Config) ([]loanbook.Verifier, error) {
	list, err := cfg.LoadVerifiers()
	if err != nil {
		return nil, err
	}
	out := make([]loanbook.Verifier, len(list))
	for i, v := range list {
		out[i] = loanbook.Verifier{Name: v.Name, Accreditation: v.Accreditation, ValidFrom: v.ValidFrom, ValidTo: v.ValidTo}
	}
	return out, nil
}
