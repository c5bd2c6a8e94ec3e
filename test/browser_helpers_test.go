package test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// chromium finds the browser for the console tests: TFP_CHROMIUM, else
// chromium on PATH. Without one the tests skip, saying how to run them —
// unless TFP_REQUIRE_BROWSER=1 or CI=true (.ci/run installs Chromium and
// sets it), where a missing browser fails.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("TFP_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("TFP_REQUIRE_BROWSER") == "1" || os.Getenv("CI") == "true" {
		t.Fatal("the console's browser tests need Chromium (TFP_REQUIRE_BROWSER=1 or CI=true): apt-get install -y chromium, or set TFP_CHROMIUM")
	}
	t.Skip("Chromium not found: the console's browser tests are skipped. Run them with `apt-get install -y chromium` (or TFP_CHROMIUM=/path/to/chrome) and go test ./test -run TestConsole")
	return ""
}

// browserSession is one headless Chromium with a fresh profile; each tab
// collects console errors, uncaught exceptions and CSP violations.
type browserSession struct {
	t         *testing.T
	ctx       context.Context
	downloads string
	shots     string

	mu     sync.Mutex
	errors []string
}

func newBrowser(t *testing.T) *browserSession {
	t.Helper()
	exe := chromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelB := chromedp.NewContext(actx)
	if err := chromedp.Do(bctx); err != nil {
		cancelB()
		cancelA()
		t.Fatalf("starting %s: %v", exe, err)
	}
	b := &browserSession{t: t, ctx: bctx, downloads: t.TempDir(), shots: t.ArtifactDir()}
	if d := os.Getenv("TFP_SCREENSHOTS"); d != "" {
		b.shots = d
		os.MkdirAll(d, 0o755)
	}
	t.Cleanup(func() { cancelB(); cancelA() })
	return b
}

// cspWatch reports CSP violations as console errors; it runs in every
// document before the page's own scripts (and is not subject to the CSP).
const cspWatch = `document.addEventListener('securitypolicyviolation', (e) =>
  console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));`

// tab opens a new tab (its own sessionStorage) with the viewport given.
// Console errors, uncaught exceptions and error-level browser log entries
// (CSP refusals included) are collected; HTTP error statuses the tests
// provoke on purpose (401, 403) come from the network source and are not.
func (b *browserSession) tab(width, height int64) context.Context {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	b.t.Cleanup(cancel)
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if (m.Type == chromedp.ConsoleType("error") || m.IsException()) && m.Source != "network" {
				b.fail(fmt.Sprintf("%s %s (%s:%d)", m.Type, m.Text, m.URL, m.Line))
			}
		}
	}()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspWatch}); err != nil {
		b.t.Fatal(err)
	}
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: b.downloads}); err != nil {
		b.t.Fatal(err)
	}
	b.do(ctx, chromedp.EmulateViewport(width, height))
	return ctx
}

func (b *browserSession) fail(msg string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.errors = append(b.errors, msg)
}

// noErrors fails the test with every console error, exception or CSP
// violation seen so far, and forgets them.
func (b *browserSession) noErrors(t *testing.T, where string) {
	t.Helper()
	time.Sleep(100 * time.Millisecond) // let the console stream catch up
	b.mu.Lock()
	errs := b.errors
	b.errors = nil
	b.mu.Unlock()
	for _, e := range errs {
		t.Errorf("%s: %s", where, e)
	}
}

// do runs steps with a deadline, failing the test on error with the page.
func (b *browserSession) do(ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, steps...); err != nil {
		b.t.Fatalf("browser: %v\n%s", err, b.mainHTML(ctx))
	}
}

func (b *browserSession) mainHTML(ctx context.Context) string {
	tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	html, _ := chromedp.Run(tctx, chromedp.Evaluate[string](`(() => { const t = document.querySelector('#app') ? document.querySelector('#app').innerText : ''; return location.hash + '\\n' + [...document.querySelectorAll('.error')].map((e) => 'ERROR: ' + e.innerText).join('\\n') + '\\n…' + t.slice(-2500); })()`))
	return html
}

// eval evaluates a JavaScript expression (awaiting a promise) and decodes it.
func eval[T any](b *browserSession, ctx context.Context, expr string) T {
	b.t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(tctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v\n%s", expr, err, b.mainHTML(ctx))
	}
	return v
}

// text waits for the element and returns its visible text.
func (b *browserSession) text(ctx context.Context, sel string) string {
	b.t.Helper()
	b.do(ctx, chromedp.WaitVisible(chromedp.CSS(sel)))
	return eval[string](b, ctx, fmt.Sprintf(`document.querySelector(%s).innerText`, jsString(sel)))
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// set puts a value in a form control as typing would (input and change
// events), so the console's state follows it.
func set(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.WaitReady(chromedp.CSS(sel)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const el = document.querySelector(%s); el.focus(); el.value = %s;
		  el.dispatchEvent(new Event('input', {bubbles: true})); el.dispatchEvent(new Event('change', {bubbles: true})); })()`, jsString(sel), jsString(value))),
	)
}

// click clicks an element once it is visible.
func click(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel)))
}

// screenshot saves the viewport as name.png in the screenshots folder,
// scrolled to the element sel (the top when sel is empty).
func (b *browserSession) screenshot(ctx context.Context, name, sel string) {
	b.t.Helper()
	eval[bool](b, ctx, fmt.Sprintf(`(() => { document.activeElement && document.activeElement.blur();
	  const el = %s ? document.querySelector(%s) : null;
	  window.scrollTo(0, el ? el.getBoundingClientRect().top + window.scrollY - 8 : 0); return true; })()`, jsString(sel), jsString(sel)))
	time.Sleep(150 * time.Millisecond) // charts finish their first paint
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatal(err)
	}
	path := filepath.Join(b.shots, name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s (%d bytes)", path, len(buf))
}

// waitFile waits for a download to appear in the downloads folder.
func (b *browserSession) waitFile(name string) []byte {
	b.t.Helper()
	path := filepath.Join(b.downloads, name)
	for i := 0; i < 200; i++ {
		if data, err := os.ReadFile(path); err == nil && len(data) > 0 {
			if _, err := os.Stat(path + ".crdownload"); err != nil {
				return data
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.t.Fatalf("download %s did not appear in %s", name, b.downloads)
	return nil
}

// signIn opens the console in ctx and signs in with the role's development
// key using the keyboard only (type, Enter).
func (b *browserSession) signIn(ctx context.Context, url, role string) {
	b.t.Helper()
	b.do(ctx,
		chromedp.Navigate(url+"/"),
		chromedp.WaitVisible(chromedp.CSS("#api-key")),
		chromedp.SendKeys(chromedp.CSS("#api-key"), "tfp-dev-"+role+"\r"),
	)
	if id := b.text(ctx, "#key-id"); id != "dev-"+role {
		b.t.Fatalf("signed in as %s: key id %q", role, id)
	}
}

// void drops an action's value, to run it among steps.
func void[T any](a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := a(ctx, t)
		return chromedp.Void{}, err
	}
}
