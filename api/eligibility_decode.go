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
	empty, ok := s.open()
	if !ok || empty {
		return ok
	}
	var seen uint16
	for {
		key, ok := s.member()
		if !ok {
			return false
		}
		switch string(key) {
		case "borrower":
			r.Borrower = new(borrowerDTO)
			ok = once(&seen, 1) && s.borrower(r.Borrower)
		case "pathway_id":
			ok = once(&seen, 2) && s.text(&r.PathwayID)
		case "kpis":
			ok = once(&seen, 4) && s.kpis(&r.KPIs)
		case "as_of":
			ok = once(&seen, 8) && s.text(&r.AsOf)
		default:
			return false
		}
		if !ok {
			return false
		}
		if more, ok := s.more('}'); !ok || !more {
			return ok
		}
	}
}

func (s *shapeScan) borrower(b *borrowerDTO) bool {
	empty, ok := s.open()
	if !ok || empty {
		return ok
	}
	var seen uint16
	for {
		key, ok := s.member()
		if !ok {
			return false
		}
		switch string(key) {
		case "name":
			ok = once(&seen, 1) && s.text(&b.Name)
		case "uscc":
			ok = once(&seen, 2) && s.text(&b.USCC)
		case "industry_code":
			ok = once(&seen, 4) && s.text(&b.IndustryCode)
		case "just_transition_score":
			b.JustTransitionScore = new(int)
			ok = once(&seen, 8) && s.int(b.JustTransitionScore)
		case "obsolete_capacity":
			ok = once(&seen, 16) && s.bool(&b.ObsoleteCapacity)
		case "new_capacity": // strictBool: true or false, as its UnmarshalJSON
			ok = once(&seen, 32) && s.bool((*bool)(&b.NewCapacity))
		default:
			return false
		}
		if !ok {
			return false
		}
		if more, ok := s.more('}'); !ok || !more {
			return ok
		}
	}
}

func (s *shapeScan) kpis(dst *[]kpiDTO) bool {
	if s.next() != '[' {
		return false
	}
	s.i++
	list := make([]kpiDTO, 0, 2)
	if s.next() == ']' {
		s.i++
		*dst = list
		return true
	}
	for {
		list = append(list, kpiDTO{})
		if !s.kpi(&list[len(list)-1]) {
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

func (s *shapeScan) kpi(k *kpiDTO) bool {
	empty, ok := s.open()
	if !ok || empty {
		return ok
	}
	var seen uint16
	for {
		key, ok := s.member()
		if !ok {
			return false
		}
		switch string(key) {
		case "metric_id":
			ok = once(&seen, 1) && s.text(&k.MetricID)
		case "name":
			ok = once(&seen, 2) && s.text(&k.Name)
		case "unit":
			ok = once(&seen, 4) && s.text(&k.Unit)
		case "direction":
			ok = once(&seen, 8) && s.text(&k.Direction)
		case "baseline":
			k.Baseline = new(observationDTO)
			ok = once(&seen, 16) && s.observation(k.Baseline)
		case "targets":
			ok = once(&seen, 32) && s.observations(&k.Targets)
		case "step_down_bp":
			k.StepDownBp = new(string)
			ok = once(&seen, 64) && s.text(k.StepDownBp)
		case "step_up_bp":
			k.StepUpBp = new(string)
			ok = once(&seen, 128) && s.text(k.StepUpBp)
		default:
			return false
		}
		if !ok {
			return false
		}
		if more, ok := s.more('}'); !ok || !more {
			return ok
		}
	}
}

func (s *shapeScan) observations(dst *[]observationDTO) bool {
	if s.next() != '[' {
		return false
	}
	s.i++
	list := make([]observationDTO, 0, 6)
	if s.next() == ']' {
		s.i++
		*dst = list
		return true
	}
	for {
		list = append(list, observationDTO{})
		if !s.observation(&list[len(list)-1]) {
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

func (s *shapeScan) observation(o *observationDTO) bool {
	empty, ok := s.open()
	if !ok || empty {
		return ok
	}
	var seen uint16
	for {
		key, ok := s.member()
		if !ok {
			return false
		}
		switch string(key) {
		case "year":
			ok = once(&seen, 1) && s.int(&o.Year)
		case "value":
			ok = once(&seen, 2) && s.text(&o.Value)
		default:
			return false
		}
		if !ok {
			return false
		}
		if more, ok := s.more('}'); !ok || !more {
			return ok
		}
	}
}
