// Package tfpricing holds the small, dependency-free kernel shared by every
// part of the transition-finance pricing service: the one error type with its
// codes, and the civil Date used by catalogue, pricing and transport alike.
//
// The domain proper lives in catalog (catalogue, eligibility), pricing
// (policy, LPR, terms, schedules, rate, ratchet, quotes, simulation: pure
// computation), pricing/audit (decision records, chain, replay, checkpoints)
// and pricing/loanbook (the service that owns every store transaction, and
// declares the Store it needs); pricing/canon holds canonical JSON, digests
// and the plain-decimal rule. Implementations that depend on outside
// libraries live in subpackages named after them (pricing/boltstore).
package tfpricing
