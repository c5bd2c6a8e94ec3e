package api

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

// consoleFiles is the web console (DESIGN.md §2: api/console/): plain ES
// modules, one stylesheet and the vendored Apache ECharts build. Nothing is
// built at run time.
//
//go:embed console
var consoleFiles embed.FS

// consoleCSP is the console's Content-Security-Policy: every script, style,
// image and request stays on this origin; no inline script or style, no
// eval, no framing, no plugins, forms post nowhere else.
const consoleCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// consoleAsset is one embedded file, with its gzip form computed once at
// start-up (so the 1 MB chart library travels as ~370 KB without a
// compression per request).
type consoleAsset struct {
	body, gz    []byte
	contentType string
	etag        string
}

// console serves the embedded files by their path under console/.
type console struct {
	assets map[string]*consoleAsset
}

// newConsole reads and precompresses every embedded console file.
func newConsole() (*console, error) {
	c := &console{assets: map[string]*consoleAsset{}}
	err := fs.WalkDir(consoleFiles, "console", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := consoleFiles.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		a := &consoleAsset{body: body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		a.contentType = mime.TypeByExtension(path.Ext(p))
		if a.contentType == "" || path.Ext(p) == "" {
			a.contentType = "text/plain; charset=utf-8" // LICENSE, NOTICE
		}
		if strings.HasSuffix(p, ".js") {
			a.contentType = "text/javascript; charset=utf-8"
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(body)
		zw.Close()
		if buf.Len() < len(body) {
			a.gz = buf.Bytes()
		}
		c.assets[strings.TrimPrefix(p, "console/")] = a
		return nil
	})
	return c, err
}

// registerConsole adds the console's routes: the page at /, its files under
// /console/. They need no credentials: the page signs in against /v1 itself.
func (s *Server) registerConsole() {
	c, err := newConsole()
	if err != nil {
		panic("embedded console: " + err.Error()) // a broken embed is a build defect
	}
	s.echo.GET("/", func(ctx echo.Context) error { return c.serve(ctx, "index.html") })
	s.echo.GET("/console/:file", func(ctx echo.Context) error { return c.serve(ctx, ctx.Param("file")) })
	s.echo.GET("/console/vendor/echarts/:file", func(ctx echo.Context) error {
		return c.serve(ctx, "vendor/echarts/"+ctx.Param("file"))
	})
}

// serve writes one asset with the console's security headers, gzip when the
// client accepts it, and an ETag for revalidation.
func (c *console) serve(ctx echo.Context, name string) error {
	a, ok := c.assets[name]
	if !ok || strings.Contains(name, "..") {
		return echo.ErrNotFound
	}
	h := ctx.Response().Header()
	h.Set("Content-Security-Policy", consoleCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", a.etag)
	h.Set("Vary", "Accept-Encoding")
	if ctx.Request().Header.Get("If-None-Match") == a.etag {
		return ctx.NoContent(http.StatusNotModified)
	}
	body := a.body
	if a.gz != nil && strings.Contains(ctx.Request().Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = a.gz
	}
	return ctx.Blob(http.StatusOK, a.contentType, body)
}
