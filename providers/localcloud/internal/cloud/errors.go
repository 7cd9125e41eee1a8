package cloud

import (
	"errors"
	"fmt"
)

// APIError is what the simulated cloud answers instead of a result, worded like the errors the
// Google provider reports (`googleapi: Error <code>: <message>, <reason>`), so that the engine
// classifies a local failure exactly as it would classify Google's.
type APIError struct {
	Code    int
	Reason  string
	Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("googleapi: Error %d: %s, %s", e.Code, e.Message, e.Reason)
}

// IsNotFound reports whether err is the cloud's 404.
func IsNotFound(err error) bool {
	var api *APIError
	return errors.As(err, &api) && api.Code == 404
}

// NotFound is the 404 for the object at path.
func NotFound(path string) *APIError {
	return &APIError{Code: 404, Reason: "notFound", Message: fmt.Sprintf("The resource '%s' was not found", path)}
}

// AlreadyExists is the 409 a create of a taken name gets.
func AlreadyExists(path string) *APIError {
	return &APIError{Code: 409, Reason: "alreadyExists", Message: fmt.Sprintf("The resource '%s' already exists", path)}
}

// DeletionProtected is the 400 a delete gets while the object's deletion protection is on.
func DeletionProtected(path string) *APIError {
	return &APIError{
		Code:    400,
		Reason:  "failedPrecondition",
		Message: fmt.Sprintf("The resource '%s' has deletion protection enabled; turn it off before deleting it", path),
	}
}

// Injected is the error an injected fault answers with: the code decides the wording, and with
// it whether the engine retries (429 and 5xx) or not (400, 403, quota).
func Injected(code int, reason, path string) *APIError {
	switch {
	case reason == "quotaExceeded" || code == 0:
		return &APIError{Code: 403, Reason: "quotaExceeded", Message: "Quota 'CPUS' exceeded. Limit: 0.0 in region local (injected fault)"}
	case code == 400:
		return &APIError{Code: 400, Reason: orDefault(reason, "badRequest"), Message: fmt.Sprintf("The request for '%s' was refused (injected fault)", path)}
	case code == 403:
		return &APIError{Code: 403, Reason: orDefault(reason, "forbidden"), Message: fmt.Sprintf("Permission denied on resource '%s' (injected fault)", path)}
	case code == 404:
		return NotFound(path)
	case code == 409:
		return AlreadyExists(path)
	case code == 429:
		return &APIError{Code: 429, Reason: orDefault(reason, "rateLimitExceeded"), Message: "Rate limit exceeded for quota metric 'Write requests' (injected fault)"}
	case code >= 500:
		return &APIError{Code: code, Reason: orDefault(reason, "backendError"), Message: "The service is currently unavailable (injected fault)"}
	default:
		return &APIError{Code: code, Reason: orDefault(reason, "error"), Message: fmt.Sprintf("Injected fault on '%s'", path)}
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
