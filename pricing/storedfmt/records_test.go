package storedfmt

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// Every stored record type spells its keys in tags and holds no domain
// struct: only strings, numbers, bools, times, dates, raw JSON written by
// pricing/audit's record codecs, and other record types. So renaming a Go
// field of a domain type, or a JSON tag of an api DTO, cannot change a
// stored byte; only an edit of these types can.
func TestRecordsSpellTheirKeys(t *testing.T) {
	allowed := map[reflect.Type]bool{reflect.TypeOf(time.Time{}): true, reflect.TypeOf(tfpricing.Date{}): true,
		reflect.TypeOf(json.RawMessage{}): true}
	seen := map[reflect.Type]bool{}
	var check func(path string, ty reflect.Type)
	check = func(path string, ty reflect.Type) {
		for ty.Kind() == reflect.Pointer || ty.Kind() == reflect.Slice {
			ty = ty.Elem()
		}
		if allowed[ty] || ty.Kind() != reflect.Struct || seen[ty] {
			if ty.Kind() == reflect.Map || ty.Kind() == reflect.Interface {
				t.Errorf("%s: a %s has no fixed keys", path, ty)
			}
			return
		}
		seen[ty] = true
		if ty.Name() != "" && ty.PkgPath() != "tfpricing/pricing/storedfmt" { // unnamed: declared in a record here
			t.Errorf("%s: %s is not a record type of this package", path, ty)
			return
		}
		for i := range ty.NumField() {
			f := ty.Field(i)
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.Anonymous || tag == "" || tag == "-" {
				t.Errorf("%s.%s: no key of its own", path, f.Name)
				continue
			}
			check(path+"."+tag, f.Type)
		}
	}
	for _, v := range []any{Loan{}, Attestation{}, Schedule{}, Fixing{}, Quote{}, AttestationRef{}, Proposal{},
		Lifecycle{}, loanV1{}, attestationV1{}, scheduleV1{}, fixingV1{}} {
		check(reflect.TypeOf(v).Name(), reflect.TypeOf(v))
	}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// A schedule state and a fixing in version 2, written out by hand from the
// format's definition (records.go): snake_case keys in declaration order,
// decimals with every digit of their scale, the fixing in pricing/audit's
// record form (sorted keys, rates with 4 decimals, "v": 1).
func TestRecordV2Layout(t *testing.T) {
	st := loanbook.ScheduleState{LoanID: "L-00000007", CalculatedOn: tfpricing.MustParseDate("2025-06-15"),
		LatestFixing: tfpricing.MustParseDate("2025-05-20"), Revision: 3, DecisionSeq: 41,
		Rates:         []audit.PeriodRate{{Period: 1, Start: tfpricing.MustParseDate("2023-07-01"), Rate: dec("3.8500")}},
		TotalInterest: dec("491944.44"),
		SPTs:          []loanbook.SPTMark{{MetricID: "pet_fdy_energy", Year: 2025, Outcome: pricing.Pending}}}
	want := `{"v":2,"loan_id":"L-00000007","calculated_on":"2025-06-15","latest_fixing":"2025-05-20","revision":3,` +
		`"decision_seq":41,"rates":[{"period":1,"start":"2023-07-01","rate":"3.8500"}],"total_interest":"491944.44",` +
		`"spts":[{"metric_id":"pet_fdy_energy","year":2025,"outcome":"pending","determined_on":""}]}`
	if got, _ := json.Marshal(NewSchedule(st)); string(got) != want {
		t.Errorf("schedule record\n got %s\nwant %s", got, want)
	}
	rec, err := NewFixing(pricing.Fixing{EffectiveDate: tfpricing.MustParseDate("2025-06-24"), OneYear: dec("2.9"), FiveYear: dec("3.4")})
	want = `{"v":2,"fixing":{"effective_date":"2025-06-24","five_year":"3.4000","one_year":"2.9000","v":1}}`
	if got, _ := json.Marshal(rec); err != nil || string(got) != want {
		t.Errorf("fixing record %v\n got %s\nwant %s", err, got, want)
	}
}

// Version-1 values, as the code before record types wrote them (the
// shapes of test/testdata/v1.db), decode to the domain values.
func TestReadVersion1(t *testing.T) {
	loan := `{"v":1,"loan":{"ID":"L-00000001","ExternalRef":"HZ-Q-1","QuoteID":"Q-00000001","BookedAt":"2026-12-01T13:58:18.085477795Z",` +
		`"BookedOn":"2023-06-25","AsOf":"2023-06-25","Borrower":{"Name":"湖州某化纤有限公司","USCC":"91350100M000100Y43","IndustryCode":"C2822",` +
		`"JustTransitionScore":72,"ObsoleteCapacity":false},"PathwayID":"C28-P01","Terms":{"Tier":"transitioning","CreditRating":"AA",` +
		`"ESGScore":70,"CarbonGrade":3,"KPIs":[{"MetricID":"pet_fdy_energy","Name":"n","Unit":"kgce/t","Direction":"lower_is_better",` +
		`"Custom":false,"Baseline":{"Year":2022,"Value":"88"},"Targets":[{"Year":2023,"Value":"80"}],"StepDownBp":"12.5","StepUpBp":null}],` +
		`"Facility":{"Amount":"20000000","Currency":"CNY","StartDate":"2023-07-01","TenorMonths":24,"Repayment":"bullet",` +
		`"PaymentFrequency":3,"Subsidy":{"RateBp":"100","EndDate":"2024-07-01"}}},"Catalogue":{"ID":"huzhou-transition","Version":"2.0",` +
		`"Digest":"sha256:57"},"Policy":{"Version":"2026.1","Digest":"sha256:53"},"Request":{"pathway_id":"C28-P01"}}}`
	l, err := ReadLoan([]byte(loan))
	if err != nil {
		t.Fatal(err)
	}
	k := l.Terms.KPIs[0]
	f := l.Terms.Facility
	if l.ID != "L-00000001" || l.QuoteID != "Q-00000001" || l.BookedAt.Nanosecond() != 85477795 || *l.Borrower.JustTransitionScore != 72 ||
		l.Terms.Tier != catalog.Transitioning || k.Direction != catalog.LowerIsBetter || !k.Baseline.Value.Equal(dec("88")) ||
		!k.StepDownBp.Equal(dec("12.5")) || k.StepUpBp != nil || !f.Amount.Equal(dec("20000000")) || f.PaymentFrequency != 3 ||
		!f.Subsidy.RateBp.Equal(dec("100")) || l.Catalogue.Digest != "sha256:57" || l.Policy.Version != "2026.1" ||
		string(l.Request) != `{"pathway_id":"C28-P01"}` {
		t.Errorf("loan %+v", l)
	}
	att := `{"v":1,"loan_id":"L-00000001","attestation":{"ID":"A-00000001","Seq":1,"MetricID":"pet_fdy_energy","Year":2023,` +
		`"Value":"79.5","AcceptedOn":"2024-03-15","VerifierName":"v","VerifierAccreditation":"CNAS","EvidenceSHA256":"ab"}}`
	if a, err := ReadAttestation([]byte(att)); err != nil || a.Seq != 1 || !a.Value.Equal(dec("79.5")) || a.AcceptedOn.String() != "2024-03-15" ||
		a.VerifierAccreditation != "CNAS" {
		t.Errorf("attestation %+v %v", a, err)
	}
	sched := `{"v":1,"state":{"LoanID":"L-00000001","CalculatedOn":"2025-06-15","LatestFixing":"2025-06-24","Revision":4,"DecisionSeq":14,` +
		`"Rates":[{"Period":1,"Start":"2023-07-01","Rate":"3.85"}],"TotalInterest":"1517916.68",` +
		`"SPTs":[{"MetricID":"pet_fdy_energy","Year":2025,"Outcome":"pending","DeterminedOn":""}]}}`
	st, err := ReadSchedule([]byte(sched))
	if err != nil || st.Revision != 4 || st.DecisionSeq != 14 || !st.Rates[0].Rate.Equal(dec("3.85")) || st.SPTs[0].Outcome != pricing.Pending ||
		!st.SPTs[0].DeterminedOn.IsZero() {
		t.Errorf("schedule %+v %v", st, err)
	}
	if stamp, err := ReadStamp([]byte(sched)); err != nil || stamp != st.Stamp() {
		t.Errorf("stamp %+v %v, want %+v", stamp, err, st.Stamp())
	}
	fix := `{"v":1,"fixing":{"EffectiveDate":"2025-06-24","OneYear":"2.9","FiveYear":"3.4"}}`
	if fx, err := ReadFixing([]byte(fix)); err != nil || !fx.OneYear.Equal(dec("2.9")) || fx.EffectiveDate.String() != "2025-06-24" {
		t.Errorf("fixing %+v %v", fx, err)
	}
	for _, bad := range []string{`{"v":3}`, `{"v":1}`, `{"v":1,"loan":{"Terms":{"Facility":{"Amount":"1e9"}}}}`} {
		if _, err := ReadLoan([]byte(bad)); err == nil {
			t.Errorf("%s: read", bad)
		}
	}
}

// A loan is stored in the decisions' envelope and reads back whole; the
// bare JSON record of version 2, as files before compression hold it,
// still reads.
func TestEncodeLoan(t *testing.T) {
	jts := 72
	l := loanbook.Loan{ID: "L-00000003", ExternalRef: "HZ-3", BookedAt: time.Date(2026, 12, 1, 9, 0, 0, 5, time.UTC),
		BookedOn: tfpricing.MustParseDate("2026-12-01"), AsOf: tfpricing.MustParseDate("2026-12-01"), PathwayID: "C28-P01",
		Borrower: catalog.Borrower{Name: "湖州某化纤有限公司", USCC: "91350100M000100Y43", IndustryCode: "C2822", JustTransitionScore: &jts},
		Terms: pricing.Terms{Tier: catalog.Transitioning, CreditRating: "AA", ESGScore: 70, CarbonGrade: 3,
			Facility: pricing.Facility{Amount: dec("20000000.00"), Currency: "CNY", StartDate: tfpricing.MustParseDate("2027-01-01"),
				TenorMonths: 24, Repayment: pricing.Bullet, PaymentFrequency: 3}},
		Catalogue: catalog.Ref{ID: "huzhou-transition", Version: "2.2", Digest: "sha256:93"},
		Policy:    pricing.PolicyRef{Version: "2026.1", Digest: "sha256:53"}, Request: json.RawMessage(`{"pathway_id":"C28-P01"}`)}
	stored, err := EncodeLoan(l)
	if err != nil || stored[0] != 0x02 {
		t.Fatalf("stored % x…, %v", stored[:2], err)
	}
	bare, _ := NewLoan(l)
	plain, _ := json.Marshal(bare)
	for name, raw := range map[string][]byte{"compressed": stored, "bare JSON": plain} {
		got, err := ReadLoan(raw)
		if err != nil || got.ID != l.ID || !got.BookedAt.Equal(l.BookedAt) || *got.Borrower.JustTransitionScore != 72 ||
			!got.Terms.Facility.Amount.Equal(l.Terms.Facility.Amount) || string(got.Request) != string(l.Request) {
			t.Errorf("%s: %+v, %v", name, got, err)
		}
	}
	if _, err := ReadLoan(append([]byte{0x02}, plain...)); err == nil {
		t.Error("JSON behind the zstd tag read as a loan")
	}
}

// A schedule state is stored compressed and reads back whole, its stamp
// too; the bare JSON record (as files before compression hold it) still
// reads.
func TestEncodeSchedule(t *testing.T) {
	st := loanbook.ScheduleState{LoanID: "L-00000007", CalculatedOn: tfpricing.MustParseDate("2025-06-15"),
		LatestFixing: tfpricing.MustParseDate("2025-05-20"), Revision: 3, DecisionSeq: 41, TotalInterest: dec("491944.44"),
		SPTs: []loanbook.SPTMark{{MetricID: "pet_fdy_energy", Year: 2025, Outcome: pricing.Pending}}}
	for p := 1; p <= 20; p++ {
		st.Rates = append(st.Rates, audit.PeriodRate{Period: p, Start: tfpricing.NewDate(2023+p/4, time.Month(1+3*(p%4)), 1), Rate: dec("3.8500")})
	}
	stored, err := EncodeSchedule(st)
	// Version 3: the tag, revision 3 and decision 41 (0x29) as one-byte
	// uvarints, then the 10-byte date, then the frame (zstd's magic,
	// 28 b5 2f fd little-endian).
	wantHead := append([]byte{0x03, 0x03, 0x29, 10}, "2025-05-20"...)
	wantHead = append(wantHead, 0x28, 0xb5, 0x2f, 0xfd)
	if err != nil || !bytes.HasPrefix(stored, wantHead) {
		t.Fatalf("stored % x…, %v", stored[:min(len(stored), 20)], err)
	}
	plain, _ := json.Marshal(NewSchedule(st))
	if len(stored)*2 > len(plain) {
		t.Errorf("%d bytes stored for %d of JSON: not even 2:1", len(stored), len(plain))
	}
	for name, raw := range map[string][]byte{"stamped": stored, "compressed (version 2)": Pack(plain), "bare JSON": plain} {
		got, err := ReadSchedule(raw)
		if err != nil || got.Revision != 3 || len(got.Rates) != 20 || got.Rates[19].Rate.String() != "3.85" ||
			Exact(got.Rates[19].Rate) != "3.8500" || !got.TotalInterest.Equal(dec("491944.44")) || got.SPTs[0].Outcome != pricing.Pending {
			t.Errorf("%s: %+v, %v", name, got, err)
		}
		if stamp, err := ReadStamp(raw); err != nil || stamp != st.Stamp() {
			t.Errorf("%s: stamp %+v, %v", name, stamp, err)
		}
	}
}

// The stamp in front of a version-3 schedule value: uvarints across their
// one-byte boundary (127 is 7f, 128 is 80 01), an unset latest fixing as
// length 0, and a stamp that is not the record's, or is cut short, is an
// error rather than a state.
func TestScheduleStampPrefix(t *testing.T) {
	st := loanbook.ScheduleState{LoanID: "L-00000009", CalculatedOn: tfpricing.MustParseDate("2025-06-15"),
		Revision: 127, DecisionSeq: 128, TotalInterest: dec("0.00")}
	stored, err := EncodeSchedule(st)
	if want := []byte{0x03, 0x7f, 0x80, 0x01, 0x00, 0x28}; err != nil || !bytes.HasPrefix(stored, want) {
		t.Fatalf("stored % x…, %v; want % x…", stored[:min(len(stored), 8)], err, want)
	}
	if stamp, err := ReadStamp(stored); err != nil || stamp != st.Stamp() {
		t.Errorf("stamp %+v, %v; want %+v", stamp, err, st.Stamp())
	}
	if got, err := ReadSchedule(stored); err != nil || got.Stamp() != st.Stamp() || got.LoanID != st.LoanID {
		t.Errorf("schedule %+v, %v", got, err)
	}
	// The same frame behind another stamp (revision 126): the record says 127.
	other := append([]byte{0x03, 0x7e}, stored[2:]...)
	if stamp, err := ReadStamp(other); err != nil || stamp.Revision != 126 {
		t.Errorf("stamp of the altered value %+v, %v", stamp, err)
	}
	if _, err := ReadSchedule(other); err == nil {
		t.Error("a stamp that is not the record's read as a schedule state")
	}
	for _, cut := range []int{1, 2, 3, 4, 5} {
		_, errS := ReadStamp(stored[:cut])
		if _, err := ReadSchedule(stored[:cut]); err == nil || (cut < 5 && errS == nil) {
			t.Errorf("cut at %d: stamp error %v, schedule error %v", cut, errS, err)
		}
	}
	if _, err := ReadStamp(append([]byte{0x03, 0x01, 0x01, 10}, "2025-13-01"...)); err == nil {
		t.Error("a malformed date in the stamp read")
	}
}
