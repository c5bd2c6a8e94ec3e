package loanbook

// Hooks for the external tests (package loanbook_test, which may import
// boltstore: boltstore imports loanbook for the Store contract).

// ViewRevision reads loan id's view as an attestation does and returns the
// schedule revision it shows.
func (s *Service) ViewRevision(tx Tx, id string, committed bool) (uint64, error) {
	v, err := s.loanView(tx, id, committed)
	if err != nil {
		return 0, err
	}
	return v.state.Revision, nil
}

// Cached reports whether a view of loan id read at stamp is cached.
func (s *Service) Cached(id string, stamp ScheduleStamp) bool {
	_, ok := s.views.get(id, stamp)
	return ok
}
