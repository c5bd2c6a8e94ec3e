// Package canon holds the byte-level forms the service hashes and stores,
// each defined once: canonical JSON (Canonical, Marshal, IsCanonical),
// content digests (Digest) and the one rule for a plain decimal string
// (IsPlainDecimal, TrimDecimal). It uses the standard library only, so a
// second implementation — another store, an auditor's tool — can be checked
// against it without the service's dependencies.
//
// catalog, pricing and pricing/audit all write through it; nothing here
// knows their types.
package canon
