package api

// The eligibility request's own fast path: one pass over the body that
// checks what shapeOK checks and sets the fields as it goes, without the
// plan's reflection (binding a load-tool body — two KPIs of five targets —
// was over a third of the request). It answers yes only where
// decodeShape would (and then decodes what it would, which is what the
// walker's path decodes); on no, the request is zeroed and takes the
// generic path, which decides and words any error. A member the code
// below does not know — a field added to a DTO and not here — is a no,
// never a silent skip. TestEligibilityDecodeAgrees holds it to
// decodeShape and to the walker.

// bodyDecoder is a request DTO with a hand-written fast path.
type bodyDecoder interface {
	decodeBody(b []byte) bool
}

func (r *eligibilityRequest) decodeBody(b []byte) bool {
	s := shapeScan{b: b}
	if !s.eligibility(r) {
		return false
	}
	s.ws()
	return s.i == len(s.b)
}

func (s *shapeScan) eligibility(r *eligibilityRequest) bool {
	var seen uint16
	return s.members(func(key []byte) bool {
		switch string(key) {
		case "borrower":
			r.Borrower = new(borrowerDTO)
			return once(&seen, 1) && s.borrower(r.Borrower)
		case "pathway_id":
			return once(&seen, 2) && s.text(&r.PathwayID)
		case "kpis":
			return once(&seen, 4) && s.kpis(&r.KPIs)
		case "as_of":
			return once(&seen, 8) && s.text(&r.AsOf)
		}
		return false
	})
}

func (s *shapeScan) borrower(b *borrowerDTO) bool {
	var seen uint16
	return s.members(func(key []byte) bool {
		switch string(key) {
		case "name":
			return once(&seen, 1) && s.text(&b.Name)
		case "uscc":
			return once(&seen, 2) && s.text(&b.USCC)
		case "industry_code":
			return once(&seen, 4) && s.text(&b.IndustryCode)
		case "just_transition_score":
			b.JustTransitionScore = new(int)
			return once(&seen, 8) && s.int(b.JustTransitionScore)
		case "obsolete_capacity":
			return once(&seen, 16) && s.bool(&b.ObsoleteCapacity)
		case "new_capacity": // strictBool: true or false, as its UnmarshalJSON
			return once(&seen, 32) && s.bool((*bool)(&b.NewCapacity))
		}
		return false
	})
}

func (s *shapeScan) kpis(dst *[]kpiDTO) bool {
	return scanArray(s, dst, 2, s.kpi)
}

func (s *shapeScan) kpi(k *kpiDTO) bool {
	var seen uint16
	return s.members(func(key []byte) bool {
		switch string(key) {
		case "metric_id":
			return once(&seen, 1) && s.text(&k.MetricID)
		case "name":
			return once(&seen, 2) && s.text(&k.Name)
		case "unit":
			return once(&seen, 4) && s.text(&k.Unit)
		case "direction":
			return once(&seen, 8) && s.text(&k.Direction)
		case "baseline":
			k.Baseline = new(observationDTO)
			return once(&seen, 16) && s.observation(k.Baseline)
		case "targets":
			return once(&seen, 32) && s.observations(&k.Targets)
		case "step_down_bp":
			k.StepDownBp = new(string)
			return once(&seen, 64) && s.text(k.StepDownBp)
		case "step_up_bp":
			k.StepUpBp = new(string)
			return once(&seen, 128) && s.text(k.StepUpBp)
		}
		return false
	})
}

func (s *shapeScan) observations(dst *[]observationDTO) bool {
	return scanArray(s, dst, 6, s.observation)
}

func (s *shapeScan) observation(o *observationDTO) bool {
	var seen uint16
	return s.members(func(key []byte) bool {
		switch string(key) {
		case "year":
			return once(&seen, 1) && s.int(&o.Year)
		case "value":
			return once(&seen, 2) && s.text(&o.Value)
		}
		return false
	})
}

// members reads a JSON object, handing each member's key to field, which
// reads the value and answers false for an unknown key, a duplicate or a
// bad value.
func (s *shapeScan) members(field func(key []byte) bool) bool {
	empty, ok := s.open()
	if !ok || empty {
		return ok
	}
	for {
		key, ok := s.member()
		if !ok || !field(key) {
			return false
		}
		if more, ok := s.more('}'); !ok || !more {
			return ok
		}
	}
}

// scanArray reads a JSON array of objects into *dst, each by elem; an empty
// array is an empty, non-nil list, as encoding/json makes it.
func scanArray[T any](s *shapeScan, dst *[]T, capHint int, elem func(*T) bool) bool {
	if s.next() != '[' {
		return false
	}
	s.i++
	list := make([]T, 0, capHint)
	if s.next() == ']' {
		s.i++
		*dst = list
		return true
	}
	for {
		var zero T
		list = append(list, zero)
		if !elem(&list[len(list)-1]) {
			return false
		}
		more, ok := s.more(']')
		if !ok {
			return false
		}
		if !more {
			*dst = list
			return true
		}
	}
}
