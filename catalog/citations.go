package catalog

import (
	"fmt"
	"os"
	"regexp"
	"strconv"

	"tfpricing"
)

// Citation is one standard a metric's source names, with the year in its
// number: "GB 36889-2025" (2025), "发改产业〔2023〕723号" (2023),
// "（2021年版）" (2021).
type Citation struct {
	Path     string // the metric's source, e.g. "industries[0].metrics[2].source"
	Standard string // the text matched
	Year     int
}

// citationPattern matches a GB or GB/T number with its year, a document
// number with its year in 〔〕, or an edition "（YYYY年版）".
var citationPattern = regexp.MustCompile(`GB(?:/T)?\s*\d+(?:\.\d+)?-(\d{4})|〔(\d{4})〕|（(\d{4})年版）`)

// inForce are the dates from which standards this project cites took
// effect where that is later than the year in their number; a version
// citing one must not take effect before it.
var inForce = map[string]tfpricing.Date{
	"GB 31825-2024": tfpricing.NewDate(2025, 5, 1),
	"GB 36889-2025": tfpricing.NewDate(2026, 6, 1),
}

// Citations lists the standards named by every metric's source, in document
// order (catalogue-level metrics, then each industry's).
func (c *Catalogue) Citations() []Citation {
	var out []Citation
	scan := func(path string, m Metric) {
		for _, sub := range citationPattern.FindAllStringSubmatch(m.Source, -1) {
			year := 0
			for _, y := range sub[1:] {
				if y != "" {
					year, _ = strconv.Atoi(y)
				}
			}
			out = append(out, Citation{Path: path, Standard: sub[0], Year: year})
		}
	}
	for i, m := range c.Metrics {
		scan(fmt.Sprintf("metrics[%d].source", i), m)
	}
	for i, ind := range c.Industries {
		for j, m := range ind.Metrics {
			scan(fmt.Sprintf("industries[%d].metrics[%d].source", i, j), m)
		}
	}
	return out
}

// CitationWarnings reports every cited standard that was not yet in force
// on the version's effective_from: its year is after effective_from's, or
// it is known to take effect later. A catalogue version may only cite
// standards in force when it takes effect. These are warnings, not
// problems: the document still loads.
func (c *Catalogue) CitationWarnings() []Problem {
	var out []Problem
	for _, ct := range c.Citations() {
		switch from, known := inForce[ct.Standard]; {
		case ct.Year > c.EffectiveFrom.Year():
			out = append(out, Problem{Path: ct.Path, Message: fmt.Sprintf(
				"cites %s, a standard of %d, after this version's effective_from %s", ct.Standard, ct.Year, c.EffectiveFrom)})
		case known && from.After(c.EffectiveFrom):
			out = append(out, Problem{Path: ct.Path, Message: fmt.Sprintf(
				"cites %s, in force only from %s, after this version's effective_from %s", ct.Standard, from, c.EffectiveFrom)})
		}
	}
	return out
}

// WarnFile returns one "path: where: warning: message" line per citation
// warning of a valid catalogue document, and nil for an invalid one (whose
// problems ValidateFile reports).
func WarnFile(path string) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	c, err := Parse(path, data)
	if err != nil {
		return nil
	}
	var lines []string
	for _, w := range c.CitationWarnings() {
		lines = append(lines, path+": "+w.Path+": warning: "+w.Message)
	}
	return lines
}
