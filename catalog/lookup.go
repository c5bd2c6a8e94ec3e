package catalog

import (
	"cmp"
	"slices"
	"strings"

	"tfpricing"
)

// IndustryFor returns the industry whose code is the longest prefix of a
// borrower's GB/T 4754 code, so a dedicated entry (C1713 棉印染精加工) wins
// over its division (C17 纺织业).
func (c *Catalogue) IndustryFor(code string) (*Industry, bool) {
	var best *Industry
	for i := range c.Industries {
		ind := &c.Industries[i]
		if strings.HasPrefix(code, ind.Code) && (best == nil || len(ind.Code) > len(best.Code)) {
			best = ind
		}
	}
	return best, best != nil
}

// IndustryByCode returns the industry with exactly this code.
func (c *Catalogue) IndustryByCode(code string) (*Industry, bool) {
	for i := range c.Industries {
		if c.Industries[i].Code == code {
			return &c.Industries[i], true
		}
	}
	return nil, false
}

// Metric resolves a metric id as a plan sees it: the industry's own metrics
// first, then the catalogue-level ones. ind may be nil (no industry covers
// the borrower), in which case only catalogue-level metrics resolve.
func (c *Catalogue) Metric(ind *Industry, id string) (*Metric, bool) {
	if ind != nil {
		for i := range ind.Metrics {
			if ind.Metrics[i].ID == id {
				return &ind.Metrics[i], true
			}
		}
	}
	for i := range c.Metrics {
		if c.Metrics[i].ID == id {
			return &c.Metrics[i], true
		}
	}
	return nil, false
}

// Pathway returns the industry's pathway with this id; a nil industry has
// none.
func (ind *Industry) Pathway(id string) (*Pathway, bool) {
	if ind == nil {
		return nil, false
	}
	for i := range ind.Pathways {
		if ind.Pathways[i].ID == id {
			return &ind.Pathways[i], true
		}
	}
	return nil, false
}

// HasMetric reports whether the pathway lists metric id.
func (p *Pathway) HasMetric(id string) bool {
	return p != nil && slices.Contains(p.Metrics, id)
}

// Set is an immutable collection of catalogue versions. Every decision must
// be able to name the one catalogue it used, so a Set holds at most one
// version in force on any date — across ids too, not only within one id:
// InForce takes only a date and must never have to guess. A newer version
// therefore needs the older one's effective_to closed.
type Set struct {
	versions []*Catalogue // sorted by effective_from, id, version
}

// NewSet builds a Set. It refuses a catalogue without a digest (not from
// Parse), two documents with the same id and version but different digests,
// and overlapping effective ranges. Loading the identical document twice is
// harmless and kept once.
func NewSet(cats ...*Catalogue) (*Set, error) {
	s := &Set{}
	for _, c := range cats {
		next, err := s.With(c)
		if err != nil {
			return nil, err
		}
		s = next
	}
	return s, nil
}

// With returns a new Set that also holds c, leaving s unchanged so readers of
// s never see a half-updated set.
func (s *Set) With(c *Catalogue) (*Set, error) {
	if c == nil || c.Digest == "" {
		return nil, tfpricing.Errorf(tfpricing.EINVALID, "catalogue has no digest; load catalogues with catalog.Parse")
	}
	for _, o := range s.versions {
		if o.ID == c.ID && o.Version == c.Version {
			if o.Digest == c.Digest {
				return s, nil
			}
			return nil, tfpricing.Errorf(tfpricing.ECONFLICT,
				"catalogue %s version %s is already loaded with digest %s; this document has digest %s",
				c.ID, c.Version, o.Digest, c.Digest)
		}
		if overlaps(o, c) {
			return nil, tfpricing.Errorf(tfpricing.ECONFLICT,
				"catalogue %s version %s (%s) overlaps %s version %s (%s); close the earlier version's effective_to first",
				c.ID, c.Version, span(c), o.ID, o.Version, span(o))
		}
	}
	versions := append(slices.Clone(s.versions), c)
	slices.SortFunc(versions, func(a, b *Catalogue) int {
		return cmp.Or(a.EffectiveFrom.Compare(b.EffectiveFrom), cmp.Compare(a.ID, b.ID), cmp.Compare(a.Version, b.Version))
	})
	return &Set{versions: versions}, nil
}

// InForce returns the version whose [effective_from, effective_to) covers d.
// effective_to is exclusive so that one version's effective_to can equal the
// next one's effective_from with no day covered twice or left uncovered.
func (s *Set) InForce(d tfpricing.Date) (*Catalogue, bool) {
	for _, c := range s.versions {
		if covers(c, d) {
			return c, true
		}
	}
	return nil, false
}

// Versions returns every version, ordered by effective_from, then id, then
// version. The slice is a copy; the catalogues are shared and read-only.
func (s *Set) Versions() []*Catalogue { return slices.Clone(s.versions) }

// ByDigest returns the version with this digest, for replaying a decision
// that recorded it.
func (s *Set) ByDigest(digest string) (*Catalogue, bool) {
	for _, c := range s.versions {
		if c.Digest == digest {
			return c, true
		}
	}
	return nil, false
}

// Version returns the catalogue with this id and version.
func (s *Set) Version(id, version string) (*Catalogue, bool) {
	for _, c := range s.versions {
		if c.ID == id && c.Version == version {
			return c, true
		}
	}
	return nil, false
}

func covers(c *Catalogue, d tfpricing.Date) bool {
	return !d.Before(c.EffectiveFrom) && (c.EffectiveTo.IsZero() || d.Before(c.EffectiveTo))
}

// overlaps reports whether two half-open ranges share a day; a zero
// effective_to is +∞.
func overlaps(a, b *Catalogue) bool {
	aEndsAfterBStarts := a.EffectiveTo.IsZero() || b.EffectiveFrom.Before(a.EffectiveTo)
	bEndsAfterAStarts := b.EffectiveTo.IsZero() || a.EffectiveFrom.Before(b.EffectiveTo)
	return aEndsAfterBStarts && bEndsAfterAStarts
}

func span(c *Catalogue) string {
	to := "open"
	if !c.EffectiveTo.IsZero() {
		to = c.EffectiveTo.String()
	}
	return "[" + c.EffectiveFrom.String() + ", " + to + ")"
}
