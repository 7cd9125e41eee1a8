package pocclient

import (
	"encoding/json"
	"fmt"
	"time"
)

// FieldIssue names one bad field of a refused request and why it was refused.
type FieldIssue struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// APIError is an error answer of the API: any 4xx, or a 5xx/429 that outlived the retries.
// Code is the API's error code (VALIDATION_FAILED, ENVIRONMENT_ALREADY_ACTIVE, ...), or
// HTTP_<status> when the body was not the API's error shape. Context holds the error's extra
// fields (for example job_id, the live job of a tenant, on a 409).
type APIError struct {
	HTTPStatus int
	Code       string
	Message    string
	Details    []FieldIssue
	Context    map[string]any
}

func (e *APIError) Error() string {
	return fmt.Sprintf("provisioning API answered %d %s: %s", e.HTTPStatus, e.Code, e.Message)
}

// apiErrorFrom reads the API's error shape {success:false, error:{code, message, details, ...}}
// loosely, so that fields added to it later land in Context instead of breaking the decode.
func apiErrorFrom(status int, body []byte) *APIError {
	var shape struct {
		Error map[string]json.RawMessage `json:"error"`
	}
	fallback := &APIError{HTTPStatus: status, Code: fmt.Sprintf("HTTP_%d", status), Message: fmt.Sprintf("HTTP %d", status)}
	if json.Unmarshal(body, &shape) != nil || shape.Error == nil {
		return fallback
	}
	e := &APIError{HTTPStatus: status, Context: map[string]any{}}
	if json.Unmarshal(shape.Error["code"], &e.Code) != nil || e.Code == "" {
		return fallback
	}
	_ = json.Unmarshal(shape.Error["message"], &e.Message)
	_ = json.Unmarshal(shape.Error["details"], &e.Details)
	for k, raw := range shape.Error {
		if k == "code" || k == "message" || k == "details" {
			continue
		}
		var v any
		if json.Unmarshal(raw, &v) == nil {
			e.Context[k] = v
		}
	}
	return e
}

// NetworkError means the API could not be reached, after the retries.
type NetworkError struct{ Err error }

func (e *NetworkError) Error() string {
	return "provisioning API could not be reached: " + e.Err.Error()
}
func (e *NetworkError) Unwrap() error { return e.Err }

// WaitDeadlineError means a wait reached its deadline before the job reached a wanted status.
// Last is the last status seen (nil if none was).
type WaitDeadlineError struct {
	JobID   string
	Waited  time.Duration
	Last    *StatusAnswer
	wanting []string
}

func (e *WaitDeadlineError) Error() string {
	last := "unknown"
	if e.Last != nil {
		last = string(e.Last.Status)
	}
	return fmt.Sprintf("job %s did not reach %v within %s (last status %s)", e.JobID, e.wanting, e.Waited, last)
}
