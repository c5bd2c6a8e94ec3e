package api

import (
	"time"

	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"tfpricing"
)

// RateLimit is the per-key request budget: a token bucket of Burst requests
// refilled at PerSecond. Zero PerSecond disables it.
type RateLimit struct {
	PerSecond int
	Burst     int
}

// keyLimiter throttles each API key separately, so one runaway client
// cannot starve the others.
type keyLimiter struct {
	store *middleware.RateLimiterMemoryStore
}

func newKeyLimiter(l RateLimit) *keyLimiter {
	if l.PerSecond <= 0 {
		return nil
	}
	burst := max(l.Burst, l.PerSecond)
	return &keyLimiter{store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate: rate.Limit(l.PerSecond), Burst: burst, ExpiresIn: 10 * time.Minute,
	})}
}

// allow spends one token of keyID's bucket; a refusal is a 429 whose
// Retry-After tells the client when a token is back.
func (k *keyLimiter) allow(keyID string) error {
	if k == nil {
		return nil
	}
	if ok, _ := k.store.Allow(keyID); ok {
		return nil
	}
	return &tfpricing.Error{Code: tfpricing.ERATELIMITED, Message: "too many requests for this API key; slow down",
		Extensions: map[string]any{"retry_after": 1}}
}
