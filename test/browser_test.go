package test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// appendixQuote is the Appendix A loan of DESIGN.md as a quote body, priced
// on 2023-06-25 (TFP_TODAY) for a 2023-07-01 start.
const appendixQuote = `{"borrower": {"name": "湖州某化纤有限公司", "uscc": "91350100M000100Y43", "industry_code": "C2822",
   "just_transition_score": 72, "credit_rating": "AA", "esg_score": 70, "carbon_efficiency_grade": 3},
 "pathway_id": "C28-P01",
 "kpis": [{"metric_id": "pet_fdy_energy", "baseline": {"year": 2022, "value": "88"},
   "targets": [{"year": 2023, "value": "80"}, {"year": 2024, "value": "74"}, {"year": 2025, "value": "68"}]}],
 "facility": {"amount": "50000000.00", "currency": "CNY", "start_date": "2023-07-01", "tenor_months": 36,
   "repayment": "equal_principal", "payment_frequency": "quarterly"}}`

// fillAppendixA fills the guided quote form (officer or analyst) with the
// Appendix A loan, the way a user would: industry from the tree, then the
// pathway, then the metric, then the values.
func fillAppendixA(b *browserSession, ctx context.Context) {
	b.t.Helper()
	b.do(ctx,
		chromedp.WaitReady(chromedp.CSS(`select[name=industry] option[value="C28"]`)),
		set("select[name=industry]", "C28"),
		chromedp.WaitReady(chromedp.CSS(`select[name=pathway_id] option[value="C28-P01"]`)),
		set("select[name=pathway_id]", "C28-P01"),
		set("select[name=kpi-0-metric]", "pet_fdy_energy"),
		chromedp.WaitReady(chromedp.CSS(`input[name=kpi-0-baseline-year]`)),
		set("input[name=name]", "湖州某化纤有限公司"),
		set("input[name=uscc]", "91350100M000100Y44"),
	)
	// The USCC is checked as it is typed: the wrong check character is named.
	if s := b.text(ctx, "#uscc-status"); !strings.Contains(s, "校验码不符") || !strings.Contains(s, "3") {
		b.t.Errorf("USCC status for a wrong check character: %q", s)
	}
	b.do(ctx, set("input[name=uscc]", "91350100M000100Y43"))
	if s := b.text(ctx, "#uscc-status"); s != "校验通过" {
		b.t.Errorf("USCC status for a valid code: %q", s)
	}
	// The metric's hints come from the catalogue: unit, direction, 基准, 标杆.
	hint := eval[string](b, ctx, `document.getElementById(document.querySelector('select[name=kpi-0-metric]').getAttribute('aria-describedby')).innerText`)
	for _, want := range []string{"kgce/t", "越低越好", "基准水平 83", "标杆水平 50"} {
		if !strings.Contains(hint, want) {
			b.t.Errorf("metric hint %q lacks %q", hint, want)
		}
	}
	b.do(ctx,
		set("input[name=industry_code]", "C2822"),
		set("select[name=credit_rating]", "AA"),
		set("input[name=esg_score]", "70"),
		set("input[name=just_transition_score]", "72"),
		set("select[name=carbon_efficiency_grade]", "3"),
		set("input[name=kpi-0-baseline-year]", "2022"),
		set("input[name=kpi-0-baseline-value]", "88"),
		set("input[name=kpi-0-target-0-year]", "2023"),
		set("input[name=kpi-0-target-0-value]", "80"),
		set("input[name=kpi-0-target-1-year]", "2024"),
		set("input[name=kpi-0-target-1-value]", "74"),
		set("input[name=kpi-0-target-2-year]", "2025"),
		set("input[name=kpi-0-target-2-value]", "68"),
		set("input[name=amount]", "50,000,000.00"),
		set("input[name=start_date]", "2023-07-01"),
		set("input[name=tenor_months]", "36"),
		set("select[name=repayment]", "equal_principal"),
		set("select[name=payment_frequency]", "quarterly"),
	)
}

// labelsScript returns the visible text of every label-like element, and
// the page's visible text outside data values (class "data": names typed
// by users, server messages), for the language checks.
const labelsScript = `(() => {
  const vis = (el) => el.offsetParent !== null || el.getClientRects().length > 0;
  const labels = [...document.querySelectorAll('label, legend, h1, h2, th, caption, button, nav a, summary, dt, .hint, option:checked')]
    .filter((el) => vis(el) || el.tagName === 'OPTION').filter((el) => !el.closest('.data') && el.id !== 'lang-switch')
    .map((el) => el.innerText.trim()).filter((s) => s && /[A-Za-z\u4e00-\u9fff]/.test(s));
  const clone = document.getElementById('app').cloneNode(true);
  clone.querySelectorAll('.data, #lang-switch, code, pre, option, select').forEach((el) => el.remove());
  return {labels, text: clone.innerText};
})()`

type pageText struct {
	Labels []string `json:"labels"`
	Text   string   `json:"text"`
}

// transferred sums the bytes on the wire (compressed bodies and headers)
// of the page and the console's files it loaded.
const transferred = `performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
  .filter((e) => !e.name.includes('/v1/')).reduce((n, e) => n + e.transferSize, 0)`

// settled waits until the page has loaded what it shows: no loading
// message left and every chart drawn.
var settled = void(chromedp.Poll[bool](`!document.querySelector('.loading') && [...document.querySelectorAll('.chart')].every((c) => c.dataset.ready)`))

var han = regexp.MustCompile(`\p{Han}`)

// checkLanguage switches zh → en → zh on the current page and checks that
// every label was Chinese and becomes English (no Chinese left outside data
// values), and comes back.
func checkLanguage(b *browserSession, ctx context.Context, where string) {
	b.t.Helper()
	b.do(ctx, settled)
	zh := eval[pageText](b, ctx, labelsScript)
	for _, l := range zh.Labels {
		if !han.MatchString(l) && !regexp.MustCompile(`^[\d\s.,%:·+\-–/()A-Z]*$`).MatchString(l) {
			b.t.Errorf("%s: label %q is not Chinese in the zh console", where, l)
		}
	}
	b.do(ctx, click("#lang-switch"), chromedp.WaitVisible(chromedp.CSS(`html[lang=en] #app`)), settled)
	en := eval[pageText](b, ctx, labelsScript)
	if len(en.Labels) != len(zh.Labels) {
		b.t.Errorf("%s: %d labels in zh, %d in en", where, len(zh.Labels), len(en.Labels))
	}
	if m := han.FindAllString(en.Text, 5); len(m) > 0 {
		i := han.FindStringIndex(en.Text)[0]
		b.t.Errorf("%s: Chinese left in the English console: %q", where, en.Text[max(0, i-60):min(len(en.Text), i+60)])
	}
	b.do(ctx, click("#lang-switch"), chromedp.WaitVisible(chromedp.CSS(`html[lang=zh-CN] #app`)))
}

// TestConsole drives the web console in headless Chromium against the real
// binary, one user at a time, as DESIGN.md §1 describes them.
func TestConsole(t *testing.T) {
	b := newBrowser(t)
	dir := t.TempDir()
	p := start(t, dir, "TFP_TODAY=2023-06-25")

	t.Run("sign-in and sections per role", func(t *testing.T) {
		b.t = t
		ctx := b.tab(1280, 800)
		began := time.Now()
		b.do(ctx, chromedp.Navigate(p.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#api-key")))
		usable := time.Since(began)
		// Reported, never asserted (speed is not a test's business).
		t.Logf("first load: sign-in form usable after %v (race-built binary), %d bytes transferred",
			usable.Round(time.Millisecond), eval[int](b, ctx, transferred))
		b.screenshot(ctx, "signin", "")
		checkLanguage(b, ctx, "sign-in")
		b.do(ctx, chromedp.SendKeys(chromedp.CSS("#api-key"), "not-a-key\r"))
		if s := b.text(ctx, ".error"); !strings.Contains(s, "API 密钥无效") {
			t.Errorf("bad key: %q", s)
		}
		want := map[string]string{
			"officer": "quote loans propose", "analyst": "scenarios", "verifier": "attest",
			"auditor": "decisions audit loans proposals", "admin": "operator proposals", "approver": "approvals",
		}
		for role, sections := range want {
			ctx := b.tab(1280, 800)
			b.signIn(ctx, p.URL, role)
			got := eval[[]string](b, ctx, `[...document.querySelectorAll('nav a')].map((a) => a.dataset.section)`)
			if strings.Join(got, " ") != sections {
				t.Errorf("%s sees %v, want %s", role, got, sections)
			}
			// A section of another role is not offered even by URL.
			b.do(ctx, chromedp.Navigate(p.URL+"/#/operator"))
			if role != "admin" {
				b.do(ctx, chromedp.WaitVisible(chromedp.CSS(`nav a[aria-current=page]`)))
				if cur := eval[string](b, ctx, `document.querySelector('nav a[aria-current=page]').dataset.section`); cur == "operator" {
					t.Errorf("%s reached the operator page", role)
				}
			}
		}
		b.noErrors(t, "sign-in")

		// The watcher works: an inline script is refused by the CSP, and the
		// refusal is reported.
		eval[bool](b, ctx, `(() => { const s = document.createElement('script'); s.textContent = 'window.inlineRan = true'; document.head.append(s); return true; })()`)
		b.do(ctx, chromedp.Sleep(200*time.Millisecond))
		if ran := eval[bool](b, ctx, `window.inlineRan === true`); ran {
			t.Error("an inline script ran despite the CSP")
		}
		b.mu.Lock()
		seen := strings.Join(b.errors, "\n")
		b.errors = nil
		b.mu.Unlock()
		if !strings.Contains(seen, "CSP violation") {
			t.Errorf("the CSP violation was not reported; saw %q", seen)
		}
	})

	var loanID string
	t.Run("officer prices and books Appendix A", func(t *testing.T) {
		b.t = t
		ctx := b.tab(1280, 800)
		b.signIn(ctx, p.URL, "officer")
		fillAppendixA(b, ctx)
		b.do(ctx, click("#check-eligibility"), chromedp.WaitVisible(chromedp.CSS(`#rules li[data-rule=new_capacity_at_benchmark]`)))
		// The rules one by one, in DESIGN.md §3.1's order, all passed.
		rules := eval[[]string](b, ctx, `[...document.querySelectorAll('#rules li')].map((li) => li.dataset.rule + ':' + li.className)`)
		want := "industry_covered:rule pass pathway_in_industry:rule pass core_kpi_present:rule pass no_obsolete_capacity:rule pass " +
			"reaches_baseline_level:rule pass reaches_baseline_in_time:rule pass ambition:rule pass just_transition:rule pass new_capacity_at_benchmark:rule pass"
		if got := strings.Join(rules, " "); got != want {
			t.Errorf("rules %s", got)
		}
		// New capacity must be built to the 标杆 level (50): the first target, 80, is not.
		b.do(ctx, click("#flag-new_capacity"), click("#check-eligibility"),
			chromedp.WaitVisible(chromedp.CSS(`#rules li.fail[data-rule=new_capacity_at_benchmark]`)),
			click("#flag-new_capacity"))
		b.do(ctx, click("#price"), chromedp.WaitVisible(chromedp.CSS("#all-in-rate")))
		// The API's own answer to the same terms.
		status, quote, _ := p.do("POST", "/v1/quotes", "officer", appendixQuote)
		if status != 201 {
			t.Fatalf("API quote: %d %v", status, quote)
		}
		apiRate := quote["rate"].(map[string]any)["all_in_rate"].(string)
		apiTotal := quote["projections"].(map[string]any)["current"].(map[string]any)["total_interest"].(string)
		// Worked by hand in DESIGN.md Appendix A: AA spread 50, ESG 70 −10,
		// grade 3 0, transitioning −10 → 3.55 + 0.30 = 3.8500; and by
		// test/golden/lifecycle.py for the 12 periods at 3.8500 → 3179369.20.
		if apiRate != "3.8500" || apiTotal != "3179369.20" {
			t.Errorf("API quote: rate %s total %s", apiRate, apiTotal)
		}
		if got := b.text(ctx, "#all-in-rate"); got != "3.8500%" {
			t.Errorf("console all-in rate %q, API %s", got, apiRate)
		}
		if got := b.text(ctx, "#total-interest"); got != "3,179,369.20" {
			t.Errorf("console total interest %q, API %s", got, apiTotal)
		}
		b.do(ctx, chromedp.WaitVisible(chromedp.CSS("#quote-result .chart[data-ready]")))
		// Hovering a chart shows its tooltip without breaking the CSP.
		pt := eval[[]float64](b, ctx, `(() => { const c = document.querySelector('#quote-result .chart'); c.scrollIntoView();
		  const r = c.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()`)
		b.do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, pt[0], pt[1]), chromedp.Sleep(300*time.Millisecond))
		t.Logf("officer page with charts: %d bytes of console files transferred", eval[int](b, ctx, transferred))
		b.screenshot(ctx, "officer-quote", "#quote-result")
		checkLanguage(b, ctx, "quote")
		b.do(ctx, set("input[name=external_ref]", "HZ-2023-007"), click("#book"), chromedp.WaitVisible(chromedp.CSS("#booked-loan")))
		loanID = b.text(ctx, "#booked-loan")
		b.do(ctx, click("#booked-loan"), chromedp.WaitVisible(chromedp.CSS("#loan-schedule .chart[data-ready]")))
		if got := b.text(ctx, "#loan-id"); got != loanID {
			t.Errorf("loan page shows %q, booked %q", got, loanID)
		}
		if got := b.text(ctx, "#sched-total-interest"); got != "3,179,369.20" {
			t.Errorf("loan schedule total %q", got)
		}
		b.screenshot(ctx, "officer-loan", "")
		checkLanguage(b, ctx, "loan")
		// The schedule as of a date before booking still answers.
		b.do(ctx, set("input[name=as_of]", "2023-06-25"), chromedp.WaitVisible(chromedp.CSS("#loan-schedule .chart[data-ready]")))
		b.do(ctx, chromedp.Navigate(p.URL+"/#/loans"), chromedp.WaitVisible(chromedp.CSS(`a[href="#/loans/`+loanID+`"]`)))
		b.screenshot(ctx, "officer-loans", "")
		checkLanguage(b, ctx, "loans")

		// The narrow layout: nothing wider than the phone's screen.
		phone := b.tab(390, 844)
		b.signIn(phone, p.URL, "officer")
		b.do(phone, chromedp.WaitReady(chromedp.CSS(`select[name=industry] option[value="C28"]`)))
		if w := eval[int](b, phone, `document.documentElement.scrollWidth`); w > 390 {
			t.Errorf("390×844: the page is %d px wide", w)
		}
		b.screenshot(phone, "officer-quote-390", "")
		b.noErrors(t, "officer")
	})

	t.Run("analyst runs Monte Carlo with a chart and a CSV", func(t *testing.T) {
		b.t = t
		ctx := b.tab(1280, 800)
		b.signIn(ctx, p.URL, "analyst")
		fillAppendixA(b, ctx)
		b.do(ctx,
			chromedp.WaitReady(chromedp.CSS(`select[name="grid-pet_fdy_energy-2023"]`)),
			set(`select[name="grid-pet_fdy_energy-2023"]`, "met"),
			set(`select[name="grid-pet_fdy_energy-2024"]`, "missed"),
			set("input[name=mc-runs]", "400"),
			set("input[name=mc-seed]", "7"),
			click("#simulate"),
			chromedp.WaitVisible(chromedp.CSS("#mc-summary")),
			chromedp.WaitVisible(chromedp.CSS("#sim-result .chart[data-ready]")),
		)
		if n := eval[int](b, ctx, `document.querySelectorAll('#sim-result .chart[data-ready]').length`); n != 3 {
			t.Errorf("%d charts drawn, want 3 (rate paths, total interest percentiles, SPT probabilities)", n)
		}
		if s := b.text(ctx, "#mc-summary"); !strings.Contains(s, "400") {
			t.Errorf("Monte Carlo summary %q", s)
		}
		b.screenshot(ctx, "analyst-scenarios", "#sim-result")
		checkLanguage(b, ctx, "scenarios")
		b.do(ctx, click("#csv"))
		csv := b.waitFile("simulation.csv")
		if !strings.HasPrefix(string(csv), "\uFEFFscenario,period,") || !strings.Contains(string(csv), "\r\n") {
			t.Errorf("CSV does not start with a BOM and the header, or lacks CRLF: %.80q", csv)
		}
		b.noErrors(t, "analyst")
	})
	if loanID == "" {
		t.Fatal("no loan booked")
	}
	p.stop()

	// 2024-03-15: the verifier attests 2023 (79 ≤ 80, met): −10 bp from period 4.
	p = start(t, dir, "TFP_TODAY=2024-03-15")
	t.Run("verifier attests with a file and the schedule changes", func(t *testing.T) {
		b.t = t
		ctx := b.tab(1280, 800)
		b.signIn(ctx, p.URL, "verifier")
		evidence := filepath.Join(t.TempDir(), "2023年度能耗核查报告.pdf")
		content := []byte("%PDF-1.4 energy audit 2023, pet_fdy_energy 79 kgce/t\n")
		if err := os.WriteFile(evidence, content, 0o600); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(content)
		b.do(ctx,
			set("input[name=loan_id]", loanID),
			set("input[name=metric_id]", "pet_fdy_energy"),
			set("input[name=year]", "2023"),
			set("input[name=value]", "79"),
			set("input[name=verifier_name]", "浙江某认证有限公司"),
			set("input[name=accreditation]", "CNAS C001-M"),
			chromedp.SetUploadFiles(chromedp.CSS("#evidence"), []string{evidence}),
			void(chromedp.Poll[bool](fmt.Sprintf(`document.getElementById('evidence-sha256').innerText === %q`, hex.EncodeToString(sum[:])))),
			click("#attest"),
			chromedp.WaitVisible(chromedp.CSS("#attest-outcome")),
		)
		if s := b.text(ctx, "#attest-outcome"); !strings.Contains(s, "按时") || !strings.Contains(s, "达标") {
			t.Errorf("outcome %q", s)
		}
		// What changed, as worked in test/lifecycle_test.go step 2: period 4
		// from 3.8500 to 3.7500; from the 2024-07-01 anniversary, which the
		// start-up sweep already moved to the 3.45 in force on 2024-03-15
		// (3.7500), to 3.6500.
		rows := eval[[]string](b, ctx, `[...document.querySelectorAll('#attest-result table')[0].querySelectorAll('tbody tr')].map((r) => r.innerText.replace(/\s+/g, ' ').trim())`)
		if len(rows) != 9 || rows[0] != "4 2024-04-01 3.8500% 3.7500%" || rows[1] != "5 2024-07-01 3.7500% 3.6500%" {
			t.Errorf("changes %q", rows)
		}
		if got := b.text(ctx, "#sched-total-interest"); got != "3,093,732.64" {
			t.Errorf("total after the attestation %q, want 3,093,732.64", got)
		}
		b.screenshot(ctx, "verifier-attest", "#attest-result")
		checkLanguage(b, ctx, "attest")
		b.noErrors(t, "verifier")
	})

	t.Run("auditor replays a decision and verifies the chain", func(t *testing.T) {
		b.t = t
		ctx := b.tab(1280, 800)
		b.signIn(ctx, p.URL, "auditor")
		b.do(ctx, set("select[name=kind]", "booking"), chromedp.WaitVisible(chromedp.CSS(`a[href^="#/decisions/"]`)))
		b.screenshot(ctx, "auditor-decisions", "")
		checkLanguage(b, ctx, "decisions")
		b.do(ctx, click(`a[href^="#/decisions/"]`), click("#replay"), chromedp.WaitVisible(chromedp.CSS("#replay-match")))
		if s := b.text(ctx, "#replay-match"); !strings.Contains(s, "重放一致") {
			t.Errorf("replay: %q", s)
		}
		b.screenshot(ctx, "auditor-decision", "")
		checkLanguage(b, ctx, "decision")
		b.do(ctx, chromedp.Navigate(p.URL+"/#/audit"), click("#verify"), chromedp.WaitVisible(chromedp.CSS("#verify-ok")))
		if cls := eval[string](b, ctx, `document.getElementById('verify-ok').className`); cls != "ok" {
			t.Errorf("verification: %s %q", cls, b.text(ctx, "#verify-ok"))
		}
		b.do(ctx, click("#checkpoint"))
		if cp := string(b.waitFile("checkpoint.json")); !strings.Contains(cp, `"signature"`) {
			t.Errorf("checkpoint %q", cp)
		}
		b.do(ctx, click("#public-key"))
		if pem := string(b.waitFile("audit-public-key.pem")); !strings.HasPrefix(pem, "-----BEGIN PUBLIC KEY-----") {
			t.Errorf("public key %q", pem)
		}
		b.screenshot(ctx, "auditor-audit", "")
		checkLanguage(b, ctx, "audit")
		b.noErrors(t, "auditor")
	})

	t.Run("operator runs the sweep and downloads a backup", func(t *testing.T) {
		b.t = t
		ctx := b.tab(1280, 800)
		b.signIn(ctx, p.URL, "admin")
		b.do(ctx, click("#sweep"), chromedp.WaitVisible(chromedp.CSS("#sweep-result dl")))
		b.do(ctx, click("#backup"))
		if db := b.waitFile("tfpricing-2024-03-15.db"); len(db) < 4096 {
			t.Errorf("backup of %d bytes", len(db))
		}
		b.screenshot(ctx, "operator", "")
		checkLanguage(b, ctx, "operator")
		b.noErrors(t, "operator")
	})
}
