package api

import (
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
)

// GET /v1/portfolio/export?format=csv|xlsx (auditor, admin): one row per
// loan with the fields an environmental information disclosure (JR/T
// 0227-2021) and a transition-loan statistics return need. Both formats
// stream: rows are written as the book is walked, one loan at a time (the
// XLSX through excelize's StreamWriter, which spills to a temporary file).
// Every cell is text, so that decimals stay exact and the XLSX holds what
// the CSV holds.

// exportHeader is the header row: Chinese, then English.
var exportHeader = []string{
	"贷款编号 Loan ID", "借款人名称 Borrower name", "统一社会信用代码 USCC", "行业代码 Industry code",
	"转型路径 Pathway", "贷款金额 Amount (CNY)", "贷款余额 Outstanding (CNY)", "执行利率 All-in rate (%)",
	"转型层级 Tier", "关键绩效指标目标及状态 KPI SPTs and status", "排放年度 Emissions year",
	"归因排放 Attributed emissions (tCO2e)", "较基准年减排 Reduction vs baseline (%)", "PCAF数据质量 PCAF data quality",
	"贴息 Subsidy (CNY)", "第二方意见 Second-party opinion",
}

// missingCell marks a figure the service has no data for.
const missingCell = "缺失 missing"

// disclosureRow renders one loan. SPTs read "metric year target outcome",
// joined by "; ", in KPI then year order; the second-party opinion, when
// one is recorded, "provider date conclusion".
func disclosureRow(r loanbook.DisclosureRow, year int) []string {
	l := r.Loan
	spts := make([]string, 0, len(r.Schedule.SPTs))
	for _, s := range r.Schedule.SPTs {
		spts = append(spts, fmt.Sprintf("%s %d %s %s", s.MetricID, s.Year, pricing.NormalString(s.Target), s.Outcome))
	}
	rate := ""
	if !r.Matured {
		rate = r.Rate.StringFixed(4)
	}
	attributed, reduction, quality := missingCell, missingCell, missingCell
	if !r.Emissions.Missing {
		attributed, quality = r.Emissions.Attributed.StringFixed(3), strconv.Itoa(r.Emissions.DataQuality)
		if r.Emissions.ReductionKnown {
			reduction = r.Emissions.ReductionPct.StringFixed(2)
		}
	}
	spo := ""
	if o := l.Lifecycle.Opinion; o != nil {
		spo = o.Provider + " " + o.Date.String() + " " + o.Conclusion
	}
	return []string{l.ID, l.Borrower.Name, l.Borrower.USCC, l.Borrower.IndustryCode, l.PathwayID,
		l.Terms.Facility.Amount.StringFixed(2), r.Outstanding.StringFixed(2), rate, string(l.Terms.Tier),
		strings.Join(spts, "; "), strconv.Itoa(year), attributed, reduction, quality,
		r.Schedule.TotalSubsidy.StringFixed(2), spo}
}

func (s *Server) getPortfolioExport(c echo.Context) error {
	format := c.QueryParam("format")
	if format != "csv" && format != "xlsx" {
		return fieldErr("format", "oneof", "must be csv or xlsx")
	}
	asOf, err := s.asOfParam(c.QueryParam("as_of"), "as_of")
	if err != nil {
		return err
	}
	year := asOf.Year() - 1
	if raw := c.QueryParam("emissions_year"); raw != "" {
		n, perr := strconv.Atoi(raw)
		if perr != nil || n < 2000 || n > 2100 {
			return fieldErr("emissions_year", "range", "must be a year from 2000 to 2100")
		}
		year = n
	}
	h := c.Response().Header()
	name := "tfpricing-portfolio-" + asOf.String() + "." + format
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	ctx := c.Request().Context()
	if format == "csv" {
		h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
		c.Response().WriteHeader(http.StatusOK)
		w := deadlineWriter{c}
		if _, err := io.WriteString(w, utf8BOM); err != nil {
			return nil
		}
		cw := csv.NewWriter(w)
		if err := cw.Write(exportHeader); err != nil {
			return nil
		}
		err := s.book.Disclosure(ctx, asOf, year, func(r loanbook.DisclosureRow) error {
			return cw.Write(disclosureRow(r, year))
		})
		cw.Flush()
		if err != nil {
			s.log.Error().Err(err).Msg("portfolio export stopped")
		}
		return nil
	}
	return s.writeExportXLSX(c, asOf, year)
}

// writeExportXLSX builds the sheet with a StreamWriter, then writes the
// file. The rows are complete before the first byte is sent, so a failure
// while reading the book is still an error response.
func (s *Server) writeExportXLSX(c echo.Context, asOf tfpricing.Date, year int) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	n := 1
	row := func(cells []string) error {
		vals := make([]any, len(cells))
		for i, v := range cells {
			vals[i] = v
		}
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		n++
		return sw.SetRow(cell, vals)
	}
	if err := row(exportHeader); err != nil {
		return err
	}
	if err := s.book.Disclosure(c.Request().Context(), asOf, year, func(r loanbook.DisclosureRow) error {
		return row(disclosureRow(r, year))
	}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Response().WriteHeader(http.StatusOK)
	if _, err := f.WriteTo(deadlineWriter{c}); err != nil {
		s.log.Error().Err(err).Msg("portfolio export stopped")
	}
	return nil
}
