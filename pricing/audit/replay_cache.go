package audit

import (
	"sync"

	"tfpricing/catalog"
	"tfpricing/pricing"
)

// DocumentCache keeps parsed catalogue and policy documents by digest, so
// that replaying many decisions parses each version once instead of once
// per decision (re-parsing was half the cost of a quote replay). A digest
// names its content, so a cached document never goes stale; the stored
// bytes are still read and hashed on every replay, so tampering with them
// is caught all the same. Safe for concurrent use.
type DocumentCache struct {
	mu   sync.Mutex
	cats map[string]*catalog.Catalogue
	pols map[string]*pricing.Policy
}

// NewDocumentCache returns an empty cache.
func NewDocumentCache() *DocumentCache {
	return &DocumentCache{cats: map[string]*catalog.Catalogue{}, pols: map[string]*pricing.Policy{}}
}

// Wrap returns docs with the cache attached: Replay(d, cache.Wrap(docs))
// uses it. Wrap docs afresh for every transaction: the result also keeps
// the attestations it read, which only that transaction may trust.
func (c *DocumentCache) Wrap(docs Documents) Documents {
	return cachedDocuments{Documents: docs, cache: c, memo: &attestationMemo{loans: map[string]*loanMemo{}}}
}

// cachedDocuments is docs with the cache and, for as long as docs (one
// transaction) is used, a memo of the loans' attestations it gave.
type cachedDocuments struct {
	Documents
	cache *DocumentCache
	memo  *attestationMemo
}

// parse returns the cached document for digest, or parses and caches it.
func cachedParse[T any](docs Documents, m func(*DocumentCache) map[string]T, digest string, parse func() (T, error)) (T, error) {
	cd, ok := docs.(cachedDocuments)
	if !ok {
		return parse()
	}
	cd.cache.mu.Lock()
	v, hit := m(cd.cache)[digest]
	cd.cache.mu.Unlock()
	if hit {
		return v, nil
	}
	v, err := parse()
	if err != nil {
		return v, err
	}
	cd.cache.mu.Lock()
	m(cd.cache)[digest] = v
	cd.cache.mu.Unlock()
	return v, nil
}

func catalogues(c *DocumentCache) map[string]*catalog.Catalogue { return c.cats }
func policies(c *DocumentCache) map[string]*pricing.Policy      { return c.pols }
