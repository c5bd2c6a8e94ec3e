package audit

import "strconv"

// The decision record's envelope written by hand around its inputs and
// outputs: canon.Marshal's bytes of the decisionRecord (members sorted as
// declared, omitempty as tagged, strings as encoding/json writes them,
// inputs and outputs — canonical already — as they are). Sealing used to
// run encoding/json over the record with null in their place and splice
// them in at the nulls. TestDecisionAppendMatchesMarshal holds it to
// canon.Marshal on random records.

// appendJSON writes rec and returns where its top-level "inputs" key
// starts: the hash member goes just before it. With room, hashRoom is
// written there (rec.Hash must then be empty).
func (rec *decisionRecord) appendJSON(b []byte, room bool) ([]byte, int) {
	o := openObject(b)
	o.key("actor")
	o.b = rec.Actor.appendJSON(o.b)
	o.optStr("as_of", rec.AsOf)
	o.optStr("business_date", rec.BusinessDate)
	if rec.Catalogue != nil {
		o.key("catalogue")
		o.b = rec.Catalogue.appendJSON(o.b)
	}
	o.str("engine_version", rec.EngineVersion)
	if len(rec.Fixings) > 0 {
		o.key("fixings")
		o.b = appendList(o.b, rec.Fixings, (*fixingRecord).appendJSON)
	}
	o.optStr("hash", rec.Hash)
	o.b = append(o.b, ',') // "actor" came first: never the first member
	inputsAt := len(o.b)
	if room {
		o.b = append(o.b, hashRoom...)
	}
	o.b = append(append(o.b, `"inputs":`...), rec.Inputs...)
	o.str("kind", rec.Kind)
	o.optStr("loan_id", rec.LoanID)
	o.str("output_digest", rec.OutputDigest)
	o.key("outputs")
	o.b = append(o.b, rec.Outputs...)
	if rec.Policy != nil {
		o.key("policy")
		o.b = rec.Policy.appendJSON(o.b)
	}
	o.str("prev_hash", rec.PrevHash)
	o.optStr("quote_id", rec.QuoteID)
	o.str("recorded_at", rec.RecordedAt)
	o.key("seq")
	o.b = strconv.AppendUint(o.b, rec.Seq, 10)
	o.version(rec.docVersion)
	return o.close(), inputsAt
}

func (rec *actorRecord) appendJSON(b []byte) []byte {
	o := openObject(b)
	o.str("key_id", rec.KeyID)
	o.str("request_id", rec.RequestID)
	o.str("role", rec.Role)
	return o.close()
}
