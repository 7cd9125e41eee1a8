package pocclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Options configure a Provisioning client.
type Options struct {
	// BaseURL is the engine's origin, e.g. https://poc-engine.internal (without /api/v1).
	BaseURL string
	// APIKey is an API key (or a service JWT) with the scopes the calls need.
	APIKey string
	// Retry of calls that failed with a network error, 408, 429 or 5xx.
	Retry RetryPolicy
	// HTTPClient sends the requests (default: an http.Client with a 10 s per-attempt timeout).
	HTTPClient HttpRequestDoer
}

// Provisioning is the signup backend's client of the engine: the generated client (API) plus
// the behaviour callers need around it: retries with backoff, submits that carry an
// idempotency key (so a retried submit never makes a second environment), typed errors, and
// waiting for a job to settle.
type Provisioning struct {
	// API is the generated client, for every operation of docs/openapi.json.
	API *ClientWithResponses
}

// New makes a client; it does not contact the engine.
func New(opts Options) (*Provisioning, error) {
	if opts.BaseURL == "" {
		return nil, errors.New("pocclient: BaseURL is required")
	}
	doer := opts.HTTPClient
	if doer == nil {
		doer = &http.Client{Timeout: 10 * time.Second}
	}
	auth := func(_ context.Context, req *http.Request) error {
		if opts.APIKey != "" {
			req.Header.Set("Authorization", "Bearer "+opts.APIKey)
		}
		return nil
	}
	api, err := NewClientWithResponses(
		strings.TrimRight(opts.BaseURL, "/"),
		WithHTTPClient(&retryingDoer{next: doer, policy: opts.Retry.withDefaults()}),
		WithRequestEditorFn(auth),
	)
	if err != nil {
		return nil, err
	}
	return &Provisioning{API: api}, nil
}

// SubmitWithIdempotency requests an environment and returns at once with the job id. The
// request is sent under idempotencyKey; when it is empty, the request's request_id is the key,
// and when that is empty too a random key is made. Every retry of this call reuses the key, so
// a submit whose answer was lost is answered with the job it already made.
// Errors: *APIError (400 naming the bad fields, 409 with the tenant's live job in Context,
// 422 for a key reused with a different request, ...), *NetworkError, or the context's error.
func (p *Provisioning) SubmitWithIdempotency(ctx context.Context, req ProvisioningRequest, idempotencyKey string) (*SubmitAnswer, error) {
	key := idempotencyKey
	if key == "" && req.RequestId != nil {
		key = *req.RequestId
	}
	if key == "" {
		key = uuid.NewString()
	}
	res, err := p.API.ProvisioningControllerProvisionWithResponse(ctx, &ProvisioningControllerProvisionParams{IdempotencyKey: &key}, req)
	if err != nil {
		return nil, transportError(ctx, err)
	}
	return decode[SubmitAnswer](res.StatusCode(), res.Body)
}

// GetStatus returns the job's status: where it is, what it made, what may be done with it now.
func (p *Provisioning) GetStatus(ctx context.Context, jobID JobID) (*StatusAnswer, error) {
	res, err := p.API.ProvisioningControllerStatusWithResponse(ctx, jobID)
	if err != nil {
		return nil, transportError(ctx, err)
	}
	return decode[StatusAnswer](res.StatusCode(), res.Body)
}

// Destroy asks the engine to destroy the job's environment (reason is recorded); the answer
// is the job's status as the destroy starts. Wait for "destroyed" with WaitForStatus.
func (p *Provisioning) Destroy(ctx context.Context, jobID JobID, reason string) (*StatusAnswer, error) {
	body := ProvisioningControllerDestroyJSONRequestBody{}
	if reason != "" {
		body.Reason = &reason
	}
	res, err := p.API.ProvisioningControllerDestroyWithResponse(ctx, jobID, body)
	if err != nil {
		return nil, transportError(ctx, err)
	}
	return decode[StatusAnswer](res.StatusCode(), res.Body)
}

// CheckHealth returns GET /api/v1/health as a map, as the seed's client does (status,
// database, queue, workers, version, timestamp); a 503 (unhealthy) is an *APIError.
func (p *Provisioning) CheckHealth(ctx context.Context) (map[string]any, error) {
	res, err := p.API.HealthControllerCheckWithResponse(ctx)
	if err != nil {
		return nil, transportError(ctx, err)
	}
	answer, err := decode[map[string]any](res.StatusCode(), res.Body)
	if err != nil {
		return nil, err
	}
	return *answer, nil
}

// transportError is the context's error when the caller gave up, *NetworkError otherwise.
func transportError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return &NetworkError{Err: err}
}

// decode turns a 2xx body into T and any other answer into *APIError. It reads the body
// itself rather than a generated JSON2xx field, so an operation whose success code changes
// (200 <-> 202) needs no edit here.
func decode[T any](status int, body []byte) (*T, error) {
	if status < 200 || status > 299 {
		return nil, apiErrorFrom(status, body)
	}
	var out T
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, fmt.Errorf("pocclient: undecodable %d answer: %w", status, err)
	}
	return &out, nil
}
