package test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestConsoleApprover: an officer proposes an amendment in the console
// (the plan in force loaded, its baseline and 2027 target edited), it waits
// in the approver's queue with what it would change, the approver approves
// it, and the officer's proposal history shows it approved.
func TestConsoleApprover(t *testing.T) {
	b := newBrowser(t)
	p := start(t, t.TempDir(), "TFP_TODAY=2026-11-27")
	id := p.must(http.StatusCreated, http.MethodPost, "/v1/loans", "officer", crashTerms)["id"].(string)
	// The officer loads the plan in force, restates the baseline and the
	// 2027 target in the KPI list, and proposes.
	ctx := b.tab(1280, 800)
	b.signIn(ctx, p.URL, "officer")
	b.do(ctx, chromedp.Navigate(p.URL+"/#/propose"), chromedp.WaitVisible(chromedp.CSS("#prop-loan")),
		chromedp.SendKeys(chromedp.CSS("#prop-loan"), id), click("#load-plan"))
	for i := 0; !eval[bool](b, ctx, `document.querySelector('#amend-kpis').value.includes('pet_fdy_energy')`); i++ {
		if i == 100 {
			t.Fatalf("the plan in force was not loaded:\n%s", b.mainHTML(ctx))
		}
		time.Sleep(50 * time.Millisecond)
	}
	eval[bool](b, ctx, `(() => { const k = document.querySelector('#amend-kpis');
	  const list = JSON.parse(k.value); list[0].baseline.value = '82'; list[0].targets[1].value = '75';
	  k.value = JSON.stringify(list); return true; })()`)
	b.do(ctx, chromedp.SendKeys(chromedp.CSS("#amend-from"), "2027-12-01"),
		chromedp.SendKeys(chromedp.CSS("#amend-reason"), "2025 energy audit"),
		click(`#amend-form button[type=submit]`), chromedp.WaitVisible(chromedp.CSS(`#amend-result p[role=status]`)))
	pending := p.must(http.StatusOK, http.MethodGet, "/v1/proposals?status=pending", "officer", nil)["items"].([]any)
	if len(pending) != 1 {
		t.Fatalf("pending proposals after the officer's form: %v", pending)
	}
	pid := pending[0].(map[string]any)["proposal_id"].(string)
	b.noErrors(t, "officer's proposal")

	ctx = b.tab(1280, 800)
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
	b.do(ctx, chromedp.Navigate(p.URL+"/#/propose"), chromedp.WaitVisible(chromedp.CSS(`#proposal-history table`)))
	if row := b.text(ctx, `#proposal-history tbody tr`); !strings.Contains(row, pid) || !strings.Contains(row, "已批准") {
		t.Errorf("officer's history row: %q", row)
	}
	b.noErrors(t, "officer's proposals")
}
