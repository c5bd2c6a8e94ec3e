package api_test

import (
	"context"
	"net/http"
	"os"
	"strconv"
	"testing"

	"tfpricing/pricing/loanbook"
)

// BenchmarkPortfolioExport books one sample loan through the API, copies it
// to TFP_EXPORT_LOANS loans (default 10,000) straight into the store, and
// exports the book as CSV and XLSX, reporting the sizes. Run it alone, once:
//
//	TFP_EXPORT_LOANS=100000 go test -run - -bench PortfolioExport -benchtime 1x ./api/
func BenchmarkPortfolioExport(b *testing.B) {
	n := 10_000
	if v, err := strconv.Atoi(os.Getenv("TFP_EXPORT_LOANS")); err == nil && v > 0 {
		n = v
	}
	e := newEnv(b, "2026-11-27")
	id := e.bookQuote("B-1")
	for done := 1; done < n; done += 1000 {
		err := e.store.Update(context.Background(), func(tx loanbook.Tx) error {
			l, err := tx.Loan(id)
			if err != nil {
				return err
			}
			st, err := tx.Schedule(id)
			if err != nil {
				return err
			}
			for i := done; i < min(done+1000, n); i++ {
				if l.ID, err = tx.NextLoanID(); err != nil {
					return err
				}
				st.LoanID = l.ID
				if err := tx.PutLoan(l); err != nil {
					return err
				}
				if err := tx.PutSchedule(st); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	for _, format := range []string{"csv", "xlsx"} {
		b.Run(format, func(b *testing.B) {
			for b.Loop() {
				rec := e.call(http.MethodGet, "/v1/portfolio/export?format="+format, "auditor", "")
				if rec.Code != http.StatusOK {
					b.Fatal(rec.Code)
				}
				b.ReportMetric(float64(rec.Body.Len()), "bytes")
			}
		})
	}
}
