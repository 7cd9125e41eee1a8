package pocclient

import openapi_types "github.com/oapi-codegen/runtime/types"

// The generated types the hand-written layer speaks, under the names callers use. When the
// generator renames a schema (docs/openapi.json changed), only these lines follow it.
type (
	// ProvisioningRequest is the body of POST /api/v1/provisioning/provision.
	ProvisioningRequest = ProvisionRequestDto
	// SubmitAnswer is the 202 answer of a submit: the job id, its status and where to follow it.
	SubmitAnswer = SubmitAccepted
	// StatusAnswer is the answer of GET /api/v1/provisioning/status/{job_id} (and of destroy).
	StatusAnswer = JobStatusView
	// JobID is a job's id as the generated client takes it in paths (job_id, format uuid).
	JobID = openapi_types.UUID
)
