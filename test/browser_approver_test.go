package test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestConsoleApprover: an officer's amendment waits in the approver's
// queue with what it would change (the restated baseline and the new 2027
// target), the approver approves it in the browser, and the officer's
// proposal history shows it approved.
func TestConsoleApprover(t *testing.T) {
	b := newBrowser(t)
	p := start(t, t.TempDir(), "TFP_TODAY=2026-11-27")
	id := p.must(http.StatusCreated, http.MethodPost, "/v1/loans", "officer", crashTerms)["id"].(string)
	amend := `{"effective_from": "2027-12-01", "reason_code": "restatement", "reason": "2025 energy audit",
	 "kpis": [{"metric_id": "pet_fdy_energy", "baseline": {"year": 2025, "value": "82"},
	   "targets": [{"year": 2026, "value": "82"}, {"year": 2027, "value": "75"}]}]}`
	pid := p.must(http.StatusCreated, http.MethodPost, "/v1/loans/"+id+"/amendments", "officer", amend)["proposal_id"].(string)

	ctx := b.tab(1280, 800)
	b.signIn(ctx, p.URL, "approver")
	card := `article[data-proposal="` + pid + `"]`
	b.do(ctx, chromedp.Navigate(p.URL+"/#/approvals"), chromedp.WaitVisible(chromedp.CSS(card+" table")))
	diff := b.text(ctx, card+" table")
	for _, want := range []string{"baseline 2025\t88\t82", "target 2027\t76\t75"} {
		if !strings.Contains(diff, want) {
			t.Errorf("the queue's diff lacks %q:\n%s", want, diff)
		}
	}
	b.screenshot(ctx, "approver-queue", card)
	b.do(ctx, click(card+` button[data-action=approve]`), chromedp.WaitVisible(chromedp.CSS(`#proposal-queue p[role=status]`)))
	if got := p.must(http.StatusOK, http.MethodGet, "/v1/proposals/"+pid, "auditor", nil)["status"]; got != "approved" {
		t.Fatalf("proposal %s after the click: %v", pid, got)
	}
	b.noErrors(t, "approver")

	ctx = b.tab(1280, 800)
	b.signIn(ctx, p.URL, "officer")
	b.do(ctx, chromedp.Navigate(p.URL+"/#/proposals"), chromedp.WaitVisible(chromedp.CSS(`#proposal-history table`)))
	if row := b.text(ctx, `#proposal-history tbody tr`); !strings.Contains(row, pid) || !strings.Contains(row, "已批准") {
		t.Errorf("officer's history row: %q", row)
	}
	b.noErrors(t, "officer's proposals")
}
