package indicators

import "context"

// PublicStore keeps which plans an admin opened to the public view: pages
// without a login that show official figures only, and no user names.
type PublicStore interface {
	// PublicPlans returns the IDs of the plans open to the public.
	PublicPlans(ctx context.Context) (map[string]bool, error)
	// SetPlanPublic opens or closes a plan's public view, audited;
	// ENOTFOUND for an unknown plan.
	SetPlanPublic(ctx context.Context, plan string, open bool) error
}
