package api

import (
	"regexp"
	"slices"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing/loanbook"
)

var (
	// industryPrefix is a GB/T 4754 code or a prefix of one: the section
	// letter and up to four digits ("C", "C28", "C2822").
	industryPrefix = regexp.MustCompile(`^[A-Z][0-9]{0,4}$`)
	pathwayID      = regexp.MustCompile(`^[A-Za-z0-9._-]{1,32}$`)
	listedTiers    = []catalog.Tier{catalog.Leading, catalog.Advancing, catalog.Transitioning}
)

// loanFilter reads GET /v1/loans's optional filters into f, which names
// every malformed one.
func loanFilter(c echo.Context, f *fieldSet) loanbook.LoanFilter {
	out := loanbook.LoanFilter{
		IndustryPrefix: c.QueryParam("industry"), Tier: catalog.Tier(c.QueryParam("tier")),
		PathwayID: c.QueryParam("pathway_id"), ExternalRef: c.QueryParam("external_ref"),
	}
	if out.IndustryPrefix != "" && !industryPrefix.MatchString(out.IndustryPrefix) {
		f.add(tfpricing.FieldError{Field: "industry", Code: "pattern",
			Message: "must be an industry code or a prefix of one: a capital letter and up to four digits, e.g. C28"})
	}
	if out.Tier != "" && !slices.Contains(listedTiers, out.Tier) {
		f.add(tfpricing.FieldError{Field: "tier", Code: "oneof", Message: "must be one of leading, advancing, transitioning"})
	}
	if out.PathwayID != "" && !pathwayID.MatchString(out.PathwayID) {
		f.add(tfpricing.FieldError{Field: "pathway_id", Code: "pattern",
			Message: "must be a pathway id: 1 to 32 letters, digits, '.', '_' or '-', e.g. C28-P01"})
	}
	if utf8.RuneCountInString(out.ExternalRef) > 64 {
		f.add(tfpricing.FieldError{Field: "external_ref", Code: "max", Message: "must have at most 64 characters"})
	}
	return out
}
