package pocclient

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

// Unit tests: a local httptest server plays the engine; nothing leaves the machine.

var fastRetry = RetryPolicy{Retries: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}

type seen struct {
	mu     sync.Mutex
	keys   []string
	bodies []string
	auth   []string
}

func (s *seen) record(r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = append(s.keys, r.Header.Get("Idempotency-Key"))
	s.bodies = append(s.bodies, string(body))
	s.auth = append(s.auth, r.Header.Get("Authorization"))
}

func newClient(t *testing.T, url string) *Provisioning {
	t.Helper()
	p, err := New(Options{BaseURL: url, APIKey: "k-123", Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func request(t *testing.T) ProvisioningRequest {
	t.Helper()
	r, err := ConvertSignupToProvisioningRequest(map[string]any{"company_name": "ACME", "contact_email": "a@acme.test"}, uuid.New(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	return *r
}

const accepted = `{"success":true,"message":"queued","job_id":"123e4567-e89b-12d3-a456-426614174000","status":"queued","estimated_duration":"30m0s","progress_tracking_url":"/api/v1/provisioning/status/123e4567-e89b-12d3-a456-426614174000"}`

func TestSubmitRetriesLostAnswersUnderOneIdempotencyKey(t *testing.T) {
	var s seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		if len(s.keys) <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, accepted)
	}))
	defer srv.Close()

	got, err := newClient(t, srv.URL).SubmitWithIdempotency(context.Background(), request(t), "")
	if err != nil {
		t.Fatal(err)
	}
	if got.JobId.String() != "123e4567-e89b-12d3-a456-426614174000" || string(got.Status) != "queued" {
		t.Fatalf("answer %+v", got)
	}
	if len(s.keys) != 3 {
		t.Fatalf("want 3 attempts, got %d", len(s.keys))
	}
	for i := range s.keys {
		if s.keys[i] == "" || s.keys[i] != s.keys[0] || s.bodies[i] != s.bodies[0] || s.auth[i] != "Bearer k-123" {
			t.Fatalf("attempt %d differs: key %q body %q auth %q", i, s.keys[i], s.bodies[i], s.auth[i])
		}
	}
}

func TestSubmitKeyIsTheCallersThenTheRequestIDThenRandom(t *testing.T) {
	var s seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, accepted)
	}))
	defer srv.Close()
	p := newClient(t, srv.URL)
	req := request(t)
	requestID := *req.RequestId
	if _, err := p.SubmitWithIdempotency(context.Background(), req, "caller-key-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.SubmitWithIdempotency(context.Background(), req, ""); err != nil {
		t.Fatal(err)
	}
	req.RequestId = nil
	if _, err := p.SubmitWithIdempotency(context.Background(), req, ""); err != nil {
		t.Fatal(err)
	}
	if s.keys[0] != "caller-key-1" || s.keys[1] != requestID {
		t.Fatalf("keys %v, request_id %s", s.keys, requestID)
	}
	if _, err := uuid.Parse(s.keys[2]); err != nil {
		t.Fatalf("a request without request_id is sent under a random UUID key, got %q", s.keys[2])
	}
}

func TestErrorAnswersAreTypedAndNotRetried(t *testing.T) {
	var s seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		w.WriteHeader(http.StatusConflict)
		_, _ = io.WriteString(w, `{"success":false,"error":{"code":"ENVIRONMENT_ALREADY_ACTIVE","message":"tenant has a live environment","details":[{"field":"tenant_id","reason":"has a live job"}],"job_id":"j-1"}}`)
	}))
	defer srv.Close()

	_, err := newClient(t, srv.URL).SubmitWithIdempotency(context.Background(), request(t), "k")
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("want *APIError, got %T %v", err, err)
	}
	if apiErr.HTTPStatus != 409 || apiErr.Code != "ENVIRONMENT_ALREADY_ACTIVE" || apiErr.Context["job_id"] != "j-1" ||
		len(apiErr.Details) != 1 || apiErr.Details[0].Field != "tenant_id" {
		t.Fatalf("error %+v", apiErr)
	}
	if len(s.keys) != 1 {
		t.Fatalf("a 409 is final: want 1 attempt, got %d", len(s.keys))
	}
}

func TestServerErrorsOutlivingTheRetriesBecomeAPIErrors(t *testing.T) {
	var s seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html>bad gateway</html>")
	}))
	defer srv.Close()

	_, err := newClient(t, srv.URL).GetStatus(context.Background(), uuid.New())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatus != 502 || apiErr.Code != "HTTP_502" {
		t.Fatalf("want a 502 APIError, got %T %v", err, err)
	}
	if len(s.keys) != 1+fastRetry.Retries {
		t.Fatalf("want %d attempts, got %d", 1+fastRetry.Retries, len(s.keys))
	}
}

func TestAnUnreachableEngineIsANetworkError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()

	_, err = newClient(t, "http://"+addr).GetStatus(context.Background(), uuid.New())
	var netErr *NetworkError
	if !errors.As(err, &netErr) {
		t.Fatalf("want *NetworkError, got %T %v", err, err)
	}
}

func statusServer(t *testing.T, statuses ...string) (*httptest.Server, *int) {
	t.Helper()
	calls := 0
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		status := statuses[min(calls, len(statuses)-1)]
		calls++
		mu.Unlock()
		id := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
		_ = json.NewEncoder(w).Encode(map[string]any{
			"success": true, "job_id": id, "status": status, "progress_percent": 50,
			"expires_at": "2030-01-01T00:00:00Z", "actions": map[string]bool{"can_cancel": true, "can_extend": true, "can_destroy": false},
		})
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestWaitForCompletionPollsUntilTheJobSettles(t *testing.T) {
	srv, calls := statusServer(t, "queued", "provisioning", "provisioning", "completed")
	var progress []string
	got, err := newClient(t, srv.URL).WaitForCompletion(context.Background(), uuid.New(), WaitOptions{
		Interval: time.Millisecond, OnProgress: func(s *StatusAnswer) { progress = append(progress, string(s.Status)) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Status) != "completed" || *calls != 4 || strings.Join(progress, ",") != "queued,provisioning,provisioning,completed" {
		t.Fatalf("status %s after %d calls, progress %v", got.Status, *calls, progress)
	}
}

func TestWaitForCompletionStopsAtItsDeadline(t *testing.T) {
	srv, _ := statusServer(t, "provisioning")
	id := uuid.New()
	last, err := newClient(t, srv.URL).WaitForCompletion(context.Background(), id, WaitOptions{
		Timeout: 30 * time.Millisecond, Interval: 5 * time.Millisecond,
	})
	var late *WaitDeadlineError
	if !errors.As(err, &late) || late.JobID != id.String() || late.Last == nil || string(late.Last.Status) != "provisioning" {
		t.Fatalf("want a WaitDeadlineError with the last status, got %T %v", err, err)
	}
	if last == nil || string(last.Status) != "provisioning" {
		t.Fatalf("the last status is returned with the error, got %+v", last)
	}
}

func TestWaitForCompletionEndsWhenTheCallerGivesUp(t *testing.T) {
	srv, _ := statusServer(t, "provisioning")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := newClient(t, srv.URL).WaitForCompletion(ctx, uuid.New(), WaitOptions{Interval: time.Hour})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %T %v", err, err)
	}
}

func TestCheckHealthReturnsTheAnswerAsAMap(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/health" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		_, _ = io.WriteString(w, `{"status":"healthy","database":"connected","workers":5}`)
	}))
	defer srv.Close()
	got, err := newClient(t, srv.URL).CheckHealth(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got["status"] != "healthy" || got["database"] != "connected" || got["workers"] != float64(5) {
		t.Fatalf("health %v", got)
	}
}
