// Package audit is the audit trail of the pricing service (DESIGN.md §6):
// the decision records that explain every rate the service gives or
// charges, their hash chain, replay, signed checkpoints and verification.
//
//   - Decision and its kinds (decision.go); the versioned, canonical record
//     forms of its inputs and outputs — terms, plans, fixings, attestations,
//     schedules, quotes, assessments (record*.go, decision_inputs.go,
//     decision_outputs.go). These records, not any transport type, are
//     what is hashed and stored; their bytes are the compatibility contract
//     of every data file.
//   - The chain: Seal links a record to its predecessor's hash;
//     ChainVerifier walks stored records, checking hashes and links
//     (decision_chain.go); it verifies large batches on every core with a
//     bounded pool of goroutines, and is safe for one caller at a time.
//   - Replay recomputes a decision with pricing.Compute from its recorded
//     inputs and the content-addressed catalogue and policy documents, and
//     reports the first difference (replay*.go).
//   - A loan decision's inputs do not copy the loan's history (layout 2,
//     issue 18; decision_attchain.go): they hold the attestations the event
//     introduced and reference the earlier ones by count, last sequence and
//     a running SHA-256 chain over their stored records. A loan's
//     attestations are append-only and per loan in sequence order, so the
//     reference names them exactly; replay reads them from the store it is
//     given (LoanAttestations: the live store, a data file, a backup),
//     recomputes the chain and reports a mismatch as a difference beside the
//     outputs it changes. The chain lives in the decision, which is in the
//     hash chain, so altering, removing or inserting a stored attestation
//     is found by every later decision of its loan. Layout-1 records (which
//     copy every attestation) decode and replay as they always did.
//   - Nor do its outputs (loan outputs layout 2, decision_outputs2.go): the
//     schedule's attestation statuses are kept as their count and a SHA-256
//     over their canonical records, with in full only those of the
//     attestations the event introduced. Replay encodes its outputs in the
//     layout the record has, so a changed status is a difference at
//     "attestations.digest"; LoanStatuses recomputes the full list for the
//     readers that show it (a loan's schedule, an Idempotency-Key retry).
//     Layout-1 outputs decode and replay as before. EngineVersion does not
//     move: it marks what the engine computes from the same inputs, which
//     is unchanged; the layout is the record's own, explicit "layout": 2.
//   - Checkpoints: an Ed25519 signature over a chain head (checkpoint.go).
//
// The arithmetic lives in pricing, which knows nothing of this package; the
// canonical JSON and digests in pricing/canon. Persistence is the store's
// (pricing/loanbook declares the contract, pricing/boltstore implements it).
package audit
