// Package tfpricing holds the small, dependency-free kernel shared by every
// part of the transition-finance pricing service: the one error type with its
// codes, and the civil Date used by catalogue, pricing and transport alike.
//
// The domain proper lives in the catalog (catalogue, eligibility) and pricing
// (policy, LPR, schedules, ratchet, decisions) packages; implementations that
// depend on outside libraries live in subpackages named after them.
package tfpricing
