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
	// PublicOptions returns the options of a plan's public view; the
	// zero options for a plan that is not open.
	PublicOptions(ctx context.Context, plan string) (PublicOptions, error)
	// SetPublicOptions sets the options of an open plan's public view,
	// audited; ECONFLICT for a plan that is not open.
	SetPublicOptions(ctx context.Context, plan string, o PublicOptions) error
}

// PublicOptions are what an admin allows a plan's public view beyond its
// default of official figures only, and no search engine.
type PublicOptions struct {
	Estimates bool // show estimates (ước thực hiện) beside official figures
	Indexing  bool // let search engines index the plan's public pages
}
