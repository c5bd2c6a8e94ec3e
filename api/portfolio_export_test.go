package api_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The export: CSV with a BOM and bilingual headers; every row worked from
// the sample loan (50,000,000.00 outstanding before its first repayment at
// 3.3000 %, SPTs 2026 ≤ 82 and 2027 ≤ 76 pending, financed emissions
// 10,000.000 t for 2025 as in TestPortfolioRoute, no reduction since the
// baseline year 2025 is the year itself: 0.00 %); the 2024 export says
// missing. Subsidy: 100 bp until 2027-12-01, ACT/360 on the opening
// principal of periods 1–4: 50,000,000.00 × 1 % × 90/360 = 125,000.00;
// 45,833,333.33 × 92/360 % = 117,129.63; 41,666,666.66 × 92/360 % =
// 106,481.48; 37,499,999.99 × 91/360 % = 94,791.67; total 443,402.78. The XLSX opens with excelize's reader and its cells equal the
// CSV's, cell by cell. The first loan has a second-party opinion recorded,
// the second none (empty cell).
func TestPortfolioExport(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	id := e.bookQuote("X-1")
	e.bookQuote("X-2")
	if rec := e.postEmissions("91350100M000100Y43", "x-em", strings.Replace(emissionsBody, `"year": 2026`, `"year": 2025`, 1)); rec.Code != http.StatusCreated {
		t.Fatalf("emissions: %d %s", rec.Code, rec.Body)
	}
	spo := `{"provider": "某评估机构", "date": "2026-11-20", "conclusion": "aligned", "report_sha256": "` + strings.Repeat("ab", 32) + `"}`
	if rec := e.call(http.MethodPost, "/v1/loans/"+id+"/second-party-opinion", "officer", spo); rec.Code/100 != 2 {
		t.Fatalf("second-party opinion: %d %s", rec.Code, rec.Body)
	}
	rec := e.call(http.MethodGet, "/v1/portfolio/export?format=csv", "auditor", "")
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.HasPrefix(body, "\ufeff贷款编号 Loan ID,") {
		t.Fatalf("%d %q", rec.Code, body)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("rows %v, %v", rows, err)
	}
	want := []string{id, "湖州某化纤有限公司", "91350100M000100Y43", "C2822", "C28-P01", "50000000.00", "50000000.00",
		"3.3000", "transitioning", "pet_fdy_energy 2026 82 pending; pet_fdy_energy 2027 76 pending", "2025",
		"10000.000", "0.00", "1", "443402.78", "某评估机构 2026-11-20 aligned"}
	if !reflect.DeepEqual(rows[1], want) || rows[2][15] != "" {
		t.Errorf("row\n got %q\nwant %q", rows[1], want)
	}
	x := e.call(http.MethodGet, "/v1/portfolio/export?format=xlsx", "admin", "")
	if x.Code != http.StatusOK {
		t.Fatalf("xlsx: %d", x.Code)
	}
	f, err := excelize.OpenReader(bytes.NewReader(x.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cells, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	// GetRows drops trailing empty cells; pad to the header's width.
	for i := range cells {
		for len(cells[i]) < len(rows[0]) {
			cells[i] = append(cells[i], "")
		}
	}
	if !reflect.DeepEqual(cells, rows) {
		t.Errorf("xlsx cells\n%q\ncsv\n%q", cells, rows)
	}
	missing := e.call(http.MethodGet, "/v1/portfolio/export?format=csv&emissions_year=2024", "auditor", "")
	if !strings.Contains(missing.Body.String(), ",2024,缺失 missing,缺失 missing,缺失 missing,") {
		t.Errorf("2024: %s", missing.Body)
	}
	if rec := e.call(http.MethodGet, "/v1/portfolio/export?format=pdf", "auditor", ""); rec.Code != http.StatusBadRequest {
		t.Errorf("format=pdf: %d", rec.Code)
	}
}
