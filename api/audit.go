package api

import (
	"bufio"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/csv"
	"encoding/pem"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"tfpricing"
	"tfpricing/pricing/audit"
)

// Chain verification, signed checkpoints, export and backup (DESIGN.md §6,
// §8). The routes that walk the whole trail read it in bounded batches,
// one short read transaction each, and write between transactions.

// exportBatch is how many records export reads per read transaction.
const exportBatch = 1000

// initAudit takes the checkpoint signing key.
func (s *Server) initAudit(d Deps) {
	s.auditKey = d.AuditKey
}

// auditKeyOrUnavailable returns the signing key, or a 503 when none is
// configured (a server built without one, as some tests do).
func (s *Server) auditKeyOrUnavailable() (ed25519.PrivateKey, ed25519.PublicKey, error) {
	if len(s.auditKey) != ed25519.PrivateKeySize {
		return nil, nil, tfpricing.Errorf(tfpricing.EUNAVAILABLE, "no audit signing key is configured")
	}
	return s.auditKey, s.auditKey.Public().(ed25519.PublicKey), nil
}

// getVerify answers GET /v1/audit/verify: the whole chain walked
// (Auditor.VerifyChain), reported as ok, how many records are intact, the
// last intact one, and where and why it breaks.
func (s *Server) getVerify(c echo.Context) error {
	r, err := s.book.VerifyChain(c.Request().Context(), nil, nil)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, verifyJSON(r))
}

// getCheckpoint answers GET /v1/audit/checkpoint: the chain head signed now
// (audit.SignCheckpoint), in the exported form `tfpricing audit verify
// --checkpoint` reads.
func (s *Server) getCheckpoint(c echo.Context) error {
	priv, _, err := s.auditKeyOrUnavailable()
	if err != nil {
		return err
	}
	head, err := s.book.ChainHead(c.Request().Context())
	if err != nil {
		return err
	}
	body, err := audit.EncodeCheckpoint(audit.SignCheckpoint(priv, head.Seq, head.Hash, s.now()))
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, body)
}

// getPublicKey answers GET /v1/audit/public-key: the key checkpoints are
// verified with, raw (base64) and as a PEM SubjectPublicKeyInfo.
func (s *Server) getPublicKey(c echo.Context) error {
	_, pub, err := s.auditKeyOrUnavailable()
	if err != nil {
		return err
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, map[string]any{
		"algorithm": "Ed25519", "key_id": audit.CheckpointKeyID(pub),
		"public_key":     base64.StdEncoding.EncodeToString(pub),
		"public_key_pem": string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})),
	})
}

// utf8BOM opens every CSV: without it Excel on Windows reads UTF-8 as the
// local code page and garbles Chinese text.
const utf8BOM = "\ufeff"

// exportCSVHeader is the header row of GET /v1/decisions/export?format=csv.
var exportCSVHeader = []string{"seq", "kind", "loan_id", "quote_id", "business_date", "as_of", "recorded_at",
	"actor_key_id", "actor_role", "output_digest", "prev_hash", "hash"}

// exportDecisions answers GET /v1/decisions/export: every record up to the
// chain head as it stood when the export began, streamed — jsonl, one
// stored record per line exactly as hashed, or csv, one row of the
// record's envelope per decision. Records are read exportBatch at a time,
// each batch in its own read transaction and written after it, and the
// export stops when the client goes away.
func (s *Server) exportDecisions(c echo.Context) error {
	format := c.QueryParam("format")
	if format == "" {
		format = "jsonl"
	}
	if format != "jsonl" && format != "csv" {
		return fieldErr("format", "oneof", "must be jsonl or csv")
	}
	ctx := c.Request().Context()
	head, err := s.book.ChainHead(ctx)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	if format == "csv" {
		h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	} else {
		h.Set(echo.HeaderContentType, "application/x-ndjson")
	}
	h.Set(echo.HeaderContentDisposition, `attachment; filename="decisions.`+format+`"`)
	c.Response().WriteHeader(http.StatusOK)
	w := bufio.NewWriterSize(deadlineWriter{c}, 64<<10)
	cw := csv.NewWriter(w)
	if format == "csv" {
		_, _ = w.WriteString(utf8BOM) // spreadsheets then read the Chinese text as UTF-8
		_ = cw.Write(exportCSVHeader)
	}
	for next := uint64(1); next <= head.Seq; {
		batch, err := s.book.DecisionRecords(ctx, next, int(min(exportBatch, head.Seq-next+1)))
		if ctx.Err() != nil {
			return nil // the client went away
		}
		if err == nil && len(batch) == 0 {
			err = tfpricing.Errorf(tfpricing.EINTERNAL, "decisions %d to %d are missing", next, head.Seq)
		}
		if err != nil {
			// The status is sent: the truncated stream is the signal.
			s.log.Error().Err(err).Uint64("seq", next).Msg("decision export stopped")
			return nil
		}
		for _, rec := range batch {
			if format == "jsonl" {
				_, _ = w.Write(rec)
				_ = w.WriteByte('\n')
			} else {
				_ = cw.Write(exportRow(rec, next))
			}
			next++
		}
		cw.Flush()
		if err := w.Flush(); err != nil {
			return nil // the client went away
		}
		_ = http.NewResponseController(c.Response()).Flush()
	}
	cw.Flush()
	_ = w.Flush()
	return nil
}

// exportRow is the CSV row of a stored record; one that no longer decodes
// is exported as its place in the chain and "undecodable".
func exportRow(rec []byte, seq uint64) []string {
	d, err := audit.DecodeDecision(rec)
	if err != nil {
		return []string{strconv.FormatUint(seq, 10), "undecodable", "", "", "", "", "", "", "", "", "", ""}
	}
	return []string{strconv.FormatUint(d.Seq, 10), string(d.Kind), d.LoanID, d.QuoteID, d.BusinessDate.String(),
		d.AsOf.String(), d.RecordedAt.UTC().Format(time.RFC3339Nano), d.Actor.KeyID, string(d.Actor.Role),
		d.OutputDigest, d.PrevHash, d.Hash}
}

// getBackup answers GET /v1/admin/backup with a consistent snapshot of the
// data file (Auditor.Backup, bbolt's Tx.WriteTo), as an attachment.
func (s *Server) getBackup(c echo.Context) error {
	if err := s.book.Auditable(); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, echo.MIMEOctetStream)
	h.Set(echo.HeaderContentDisposition, `attachment; filename="tfpricing-`+s.today().String()+`.db"`)
	n, err := s.book.Backup(&backupWriter{deadlineWriter{c}})
	if err != nil {
		if !c.Response().Committed {
			return err
		}
		s.log.Error().Err(err).Int64("bytes", n).Msg("backup stopped")
	}
	return nil
}

// backupWriter sends the snapshot's size as Content-Length, so a client
// can tell a complete backup from a cut one, then the 200.
type backupWriter struct{ deadlineWriter }

func (w *backupWriter) SetSize(n int64) {
	w.c.Response().Header().Set(echo.HeaderContentLength, strconv.FormatInt(n, 10))
	w.c.Response().WriteHeader(http.StatusOK)
}

// streamWriteGrace is how long a streaming response may take to accept
// each write: the server's write timeout bounds a whole response, which a
// large export or backup may exceed, so streams extend their deadline as
// long as the client keeps reading.
const streamWriteGrace = time.Minute

// deadlineWriter writes to the response, extending the write deadline
// before each write.
type deadlineWriter struct{ c echo.Context }

func (w deadlineWriter) Write(p []byte) (int, error) {
	_ = http.NewResponseController(w.c.Response()).SetWriteDeadline(time.Now().Add(streamWriteGrace))
	return w.c.Response().Write(p)
}
