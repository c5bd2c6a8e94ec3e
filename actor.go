package tfpricing

// Role is what an API key may do; DESIGN.md §7 maps routes to roles.
type Role string

// The six roles.
const (
	RoleOfficer  Role = "officer"  // loan officer: eligibility, quotes, loans
	RoleAnalyst  Role = "analyst"  // product team: simulations, reads
	RoleVerifier Role = "verifier" // third-party KPI verifier: attestations
	RoleAuditor  Role = "auditor"  // reads decisions, replays, verifies
	RoleAdmin    Role = "admin"    // operator: LPR fixings, sweep, backup
	RoleApprover Role = "approver" // credit approver: approves or rejects proposals (DESIGN.md §5.1)
)

// Roles lists every role in a fixed order.
var Roles = []Role{RoleOfficer, RoleAnalyst, RoleVerifier, RoleAuditor, RoleAdmin, RoleApprover}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, k := range Roles {
		if r == k {
			return true
		}
	}
	return false
}

// Actor is who caused a decision: the key id (never the key) and its role,
// plus the request id that ties the decision to the request log.
type Actor struct {
	KeyID     string
	Role      Role
	RequestID string
}
