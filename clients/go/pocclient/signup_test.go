package pocclient

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// The seed's signup form, as its signup backend decodes it from JSON.
func seedSignup(t *testing.T, extra string) map[string]any {
	t.Helper()
	var form map[string]any
	doc := `{"company_name":"ACME Cybersecurity Inc.","industry_vertical":"financial_services","company_size":"enterprise",
		"headquarters_country":"US","contact_email":"john.smith@acmecyber.com","contact_name":"John Smith",
		"poc_tier":"enterprise","poc_duration_days":30,"security_clearance":"unclassified","data_residency_region":"us",
		"compliance_frameworks":["soc2","iso27001"],"allowed_data_connectors":["splunk","qradar"]` + extra + `}`
	if err := json.Unmarshal([]byte(doc), &form); err != nil {
		t.Fatal(err)
	}
	return form
}

// asJSON is the request as it goes over the wire.
func asJSON(t *testing.T, r *ProvisioningRequest) map[string]any {
	t.Helper()
	raw, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestConvertSignupFollowsTheSeedsRules(t *testing.T) {
	tenant := uuid.New()
	before := time.Now().UTC()
	r, err := ConvertSignupToProvisioningRequest(seedSignup(t, ""), tenant, "acme-cybersecurity-inc-a1b2c3d4")
	if err != nil {
		t.Fatal(err)
	}
	got := asJSON(t, r)
	if got["tenant_id"] != tenant.String() || got["tenant_slug"] != "acme-cybersecurity-inc-a1b2c3d4" || got["priority"] != "standard" {
		t.Fatalf("identity/priority: %v", got)
	}
	company := got["company_info"].(map[string]any)
	if company["company_name"] != "ACME Cybersecurity Inc." || company["company_size"] != "enterprise" || company["contact_name"] != "John Smith" {
		t.Fatalf("company_info: %v", company)
	}
	poc := got["poc_config"].(map[string]any)
	expires, err := time.Parse(time.RFC3339, poc["expires_at"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if poc["poc_tier"] != "enterprise" || poc["poc_duration_days"] != float64(30) ||
		expires.Sub(before.Add(30*24*time.Hour)).Abs() > time.Minute {
		t.Fatalf("poc_config: %v", poc)
	}
	if _, has := poc["resource_allocation"]; has {
		t.Fatalf("no resource_allocation is invented: %v", poc)
	}
	features := toStrings(poc["enabled_features"])
	if !slices.Equal(features, DefaultFeatures("enterprise")) || !slices.Contains(features, "email_security") {
		t.Fatalf("enterprise features: %v", features)
	}
	security := got["security_config"].(map[string]any)
	if security["security_clearance"] != "unclassified" || security["network_isolation_level"] != "high" ||
		security["encryption_required"] != true || strings.Join(toStrings(security["compliance_frameworks"]), ",") != "soc2,iso27001" {
		t.Fatalf("security_config: %v", security)
	}
	integration := got["integration_config"].(map[string]any)
	if strings.Join(toStrings(integration["allowed_data_connectors"]), ",") != "splunk,qradar" || integration["crm_integration_enabled"] != true {
		t.Fatalf("integration_config: %v", integration)
	}
	monitoring := got["monitoring_config"].(map[string]any)
	if monitoring["detailed_monitoring"] != true || monitoring["retention_days"] != float64(90) {
		t.Fatalf("monitoring_config: %v", monitoring)
	}
	if _, err := uuid.Parse(got["request_id"].(string)); err != nil {
		t.Fatalf("request_id is a fresh UUID without a signup_id: %v", got["request_id"])
	}
}

func TestConvertSignupTakesTheFormsOwnChoicesAndSignupID(t *testing.T) {
	form := seedSignup(t, `,"poc_tier":"standard","enabled_features":["backups"],"priority":"high","signup_id":"abc12345",
		"resource_allocation":{"cpu_cores":2,"memory_gb":8,"storage_gb":50,"max_users":5}`)
	r, err := ConvertSignupToProvisioningRequest(form, uuid.New(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	got := asJSON(t, r)
	poc := got["poc_config"].(map[string]any)
	if strings.Join(toStrings(poc["enabled_features"]), ",") != "backups" || poc["resource_allocation"].(map[string]any)["max_users"] != float64(5) {
		t.Fatalf("poc_config: %v", poc)
	}
	if got["request_id"] != "signup-abc12345" || got["priority"] != "high" {
		t.Fatalf("request_id/priority: %v %v", got["request_id"], got["priority"])
	}
	if got["monitoring_config"].(map[string]any)["detailed_monitoring"] != false {
		t.Fatalf("standard tier: no detailed monitoring")
	}
}

func TestConvertSignupDefaultsWhatTheEngineRequires(t *testing.T) {
	r, err := ConvertSignupToProvisioningRequest(map[string]any{"company_name": "Tiny"}, uuid.New(), "tiny")
	if err != nil {
		t.Fatal(err)
	}
	got := asJSON(t, r)
	poc := got["poc_config"].(map[string]any)
	if poc["poc_tier"] != "standard" || poc["expires_at"] != nil || poc["poc_duration_days"] != nil {
		t.Fatalf("poc_config: %v", poc)
	}
	if got["security_config"].(map[string]any)["data_residency_region"] != "us" {
		t.Fatalf("security_config: %v", got["security_config"])
	}
}

func TestConvertSignupRefusesAValueOfTheWrongType(t *testing.T) {
	_, err := ConvertSignupToProvisioningRequest(map[string]any{"company_name": "X", "resource_allocation": "big"}, uuid.New(), "x")
	if err == nil || !strings.Contains(err.Error(), "does not fit") {
		t.Fatalf("want a decode error, got %v", err)
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}
