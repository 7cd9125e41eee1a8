package pocclient

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// RetryPolicy says how often and how patiently a call is repeated after a network error, a
// 408, a 429 or a 5xx. Submits are safe to repeat because they always carry an idempotency
// key; extend, destroy and cancel are idempotent on the engine's side.
type RetryPolicy struct {
	// Retries after the first attempt (default 4).
	Retries int
	// First delay (default 500 ms), doubled per attempt up to MaxDelay (default 10 s), with jitter.
	BaseDelay time.Duration
	MaxDelay  time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.Retries == 0 {
		p.Retries = 4
	}
	if p.Retries < 0 {
		p.Retries = 0
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 500 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 10 * time.Second
	}
	return p
}

func retryableStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryingDoer repeats a request, body and headers (so its idempotency key) included.
type retryingDoer struct {
	next   HttpRequestDoer
	policy RetryPolicy
}

func (d *retryingDoer) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	for attempt := 0; ; attempt++ {
		try := req
		if attempt > 0 && req.Body != nil {
			if req.GetBody == nil {
				return nil, errors.New("request body cannot be replayed for a retry")
			}
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			try = req.Clone(ctx)
			try.Body = body
		}
		res, err := d.next.Do(try)
		again := attempt < d.policy.Retries && ctx.Err() == nil &&
			(err != nil || retryableStatus(res.StatusCode))
		if !again {
			return res, err
		}
		delay := d.delay(attempt, res)
		if res != nil {
			_, _ = io.Copy(io.Discard, res.Body)
			_ = res.Body.Close()
		}
		if err := sleep(ctx, delay); err != nil {
			return nil, err
		}
	}
}

// delay is the exponential backoff with full jitter, or the answer's Retry-After (seconds) when longer.
func (d *retryingDoer) delay(attempt int, res *http.Response) time.Duration {
	ceiling := min(d.policy.BaseDelay<<attempt, d.policy.MaxDelay)
	wait := time.Duration(rand.Int64N(int64(ceiling)) + 1)
	if res != nil {
		if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err == nil {
			wait = max(wait, min(time.Duration(s)*time.Second, d.policy.MaxDelay))
		}
	}
	return wait
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
