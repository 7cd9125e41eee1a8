package pocclient

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/google/uuid"
)

// The client against a RUNNING engine (gateway, worker, Temporal, Postgres, tofu):
// test/e2e/go-client.test.ts boots that stack and runs `go test` with these variables set.
// Without them the test is skipped: it needs the stack, and the unit tests need nothing.
const (
	envBaseURL = "POC_ENGINE_BASE_URL" // the engine's origin, without /api/v1
	envAPIKey  = "POC_ENGINE_API_KEY"  // a key with the provision and read scopes
)

func TestAgainstTheRunningEngineASignupIsProvisionedThenDestroyed(t *testing.T) {
	base, key := os.Getenv(envBaseURL), os.Getenv(envAPIKey)
	if base == "" || key == "" {
		t.Skipf("%s and %s are not set: no running engine to test against (npm test sets them)", envBaseURL, envAPIKey)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	p, err := New(Options{BaseURL: base, APIKey: key})
	if err != nil {
		t.Fatal(err)
	}

	health, err := p.CheckHealth(ctx)
	if err != nil || health["status"] == nil {
		t.Fatalf("health: %v %v", health, err)
	}

	tenant := uuid.New()
	slug := fmt.Sprintf("go-client-%s", tenant.String()[:8])
	form := map[string]any{
		"company_name": "Go Client Test " + slug, "contact_email": "poc@go-client.test", "contact_name": "Go Test",
		"headquarters_country": "DE", "poc_tier": "standard", "poc_duration_days": 7.0,
		"data_residency_region": "eu", "compliance_frameworks": []any{"soc2"},
		// No features given: the conversion sends the tier's default (the seed's) features.
		"signup_id": tenant.String(),
	}
	req, err := ConvertSignupToProvisioningRequest(form, tenant, slug)
	if err != nil {
		t.Fatal(err)
	}
	accepted, err := p.SubmitWithIdempotency(ctx, *req, "")
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	again, err := p.SubmitWithIdempotency(ctx, *req, "")
	if err != nil || again.JobId != accepted.JobId {
		t.Fatalf("a resubmit under the same key names the same job: %v %v", again, err)
	}

	var seen []string
	ready, err := p.WaitForCompletion(ctx, accepted.JobId, WaitOptions{
		Timeout: 8 * time.Minute, Interval: 200 * time.Millisecond, MaxInterval: 2 * time.Second,
		OnProgress: func(s *StatusAnswer) { seen = append(seen, string(s.Status)) },
	})
	if err != nil {
		t.Fatalf("wait: %v (seen %v)", err, seen)
	}
	if string(ready.Status) != "completed" {
		msg := ""
		if ready.ErrorMessage != nil {
			msg = *ready.ErrorMessage
		}
		t.Fatalf("job ended %s: %s", ready.Status, msg)
	}

	if _, err := p.Destroy(ctx, accepted.JobId, "go client test done"); err != nil {
		t.Fatalf("destroy: %v", err)
	}
	gone, err := p.WaitForStatus(ctx, accepted.JobId, []string{"destroyed"}, WaitOptions{
		Timeout: 8 * time.Minute, Interval: 200 * time.Millisecond, MaxInterval: 2 * time.Second,
	})
	if err != nil {
		t.Fatalf("wait for destroyed: %v", err)
	}
	if string(gone.Status) != "destroyed" {
		t.Fatalf("status %s", gone.Status)
	}
}
