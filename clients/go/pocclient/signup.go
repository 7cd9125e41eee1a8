package pocclient

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// ConvertSignupToProvisioningRequest turns the signup backend's form data (keys as the seed's
// signup backend names them: company_name, industry_vertical, company_size,
// headquarters_country, contact_email, contact_name, poc_tier, poc_duration_days,
// security_clearance, data_residency_region, compliance_frameworks, allowed_data_connectors;
// optionally enabled_features, resource_allocation, priority, signup_id) into a provisioning
// request, by the seed's rules (clients/README.md lists them):
//   - company fields and security_clearance, data_residency_region (default "us"),
//     compliance_frameworks, allowed_data_connectors are copied when present;
//   - poc_tier defaults to "standard"; poc_duration_days, when given, also sets expires_at to
//     now + that many days (without it the engine applies the tier's default lifetime);
//   - enabled_features are the form's, or the tier's default product features;
//   - network isolation "high", encryption required, main-platform and CRM integration on;
//     monitoring on with alerting, detailed above the standard tier, retention by tier;
//   - priority is the form's, or "high" for premium and "standard" otherwise;
//   - request_id is "signup-<signup_id>" when the form has a signup_id (so a retried signup is
//     the same job), a fresh UUID otherwise.
//
// Unlike the seed, no resource_allocation is invented: the engine sizes each tier and enforces
// its limits; the form's own resource_allocation is passed through.
// The request is assembled as JSON and decoded into the generated type, so vocabulary
// changes in docs/openapi.json need no edit here; an error means a form value has the wrong
// type for its field.
func ConvertSignupToProvisioningRequest(signupData map[string]any, tenantID uuid.UUID, tenantSlug string) (*ProvisioningRequest, error) {
	form := signupForm(signupData)
	tier := form.str("poc_tier", "standard")
	poc := map[string]any{"poc_tier": tier}
	if days, ok := form.number("poc_duration_days"); ok && days > 0 {
		poc["poc_duration_days"] = days
		poc["expires_at"] = time.Now().UTC().Add(time.Duration(days) * 24 * time.Hour).Format(time.RFC3339)
	}
	if features, ok := signupData["enabled_features"]; ok {
		poc["enabled_features"] = features
	} else {
		poc["enabled_features"] = DefaultFeatures(tier)
	}
	if alloc, ok := signupData["resource_allocation"]; ok {
		poc["resource_allocation"] = alloc
	}
	company := map[string]any{}
	for _, k := range []string{"company_name", "industry_vertical", "company_size", "headquarters_country", "contact_email", "contact_name"} {
		form.copyString(company, k)
	}
	security := map[string]any{
		"data_residency_region":   form.str("data_residency_region", "us"),
		"network_isolation_level": "high",
		"encryption_required":     true,
	}
	form.copyString(security, "security_clearance")
	form.copyList(security, "compliance_frameworks")
	integration := map[string]any{"main_platform_integration": true, "crm_integration_enabled": true}
	form.copyList(integration, "allowed_data_connectors")
	requestID := uuid.NewString()
	if id := form.str("signup_id", ""); id != "" {
		requestID = "signup-" + id
	}
	defaultPriority := "standard"
	if tier == "premium" {
		defaultPriority = "high"
	}
	request := map[string]any{
		"tenant_id":          tenantID.String(),
		"tenant_slug":        tenantSlug,
		"company_info":       company,
		"poc_config":         poc,
		"security_config":    security,
		"integration_config": integration,
		"monitoring_config": map[string]any{
			"enabled":             true,
			"detailed_monitoring": tier != "standard",
			"alerting_enabled":    true,
			"retention_days":      retentionDays(tier),
		},
		"request_id": requestID,
		"priority":   form.str("priority", defaultPriority),
	}
	raw, err := json.Marshal(request)
	if err != nil {
		return nil, fmt.Errorf("pocclient: signup data: %w", err)
	}
	var out ProvisioningRequest
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("pocclient: signup data does not fit the request: %w", err)
	}
	return &out, nil
}

// DefaultFeatures are the product features a tier's POC gets when the form names none (the
// seed's lists).
func DefaultFeatures(tier string) []string {
	features := []string{"threat_detection", "vulnerability_management", "compliance_reporting", "siem_analytics", "dashboards_reporting"}
	if tier == "enterprise" || tier == "premium" {
		features = append(features, "email_security", "network_monitoring", "identity_analytics", "incident_response")
	}
	if tier == "premium" {
		features = append(features, "soar_automation", "ai_ml_analytics", "custom_integrations", "advanced_reporting", "api_access")
	}
	return features
}

// retentionDays is how long a tier's monitoring data is kept (days).
func retentionDays(tier string) int {
	switch tier {
	case "enterprise":
		return 90
	case "premium":
		return 365
	default:
		return 30
	}
}

type signupForm map[string]any

func (f signupForm) str(key, fallback string) string {
	if s, ok := f[key].(string); ok && s != "" {
		return s
	}
	return fallback
}

// number reads a JSON number (float64) or a Go int.
func (f signupForm) number(key string) (int, bool) {
	switch v := f[key].(type) {
	case float64:
		return int(v), true
	case int:
		return v, true
	}
	return 0, false
}

func (f signupForm) copyString(into map[string]any, key string) {
	if s := f.str(key, ""); s != "" {
		into[key] = s
	}
}

// copyList copies a []string or a decoded JSON list ([]any), when not empty.
func (f signupForm) copyList(into map[string]any, key string) {
	switch v := f[key].(type) {
	case []string:
		if len(v) > 0 {
			into[key] = v
		}
	case []any:
		if len(v) > 0 {
			into[key] = v
		}
	}
}
