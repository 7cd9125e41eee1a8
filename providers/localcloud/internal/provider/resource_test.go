package provider

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/poc-engine/terraform-provider-localcloud/internal/cloud"
)

// The resources are driven here as tofu drives them (plan in, state out), on a cloud directory of
// the test's own; tofu itself runs them in the engine's integration tests.

type harness struct {
	t      *testing.T
	ctx    context.Context
	r      *objectResource
	schema schema.Schema
	store  *cloud.Store
}

func newHarness(t *testing.T, k kind, c *client) *harness {
	t.Helper()
	if c == nil {
		c = &client{store: cloud.NewStore(t.TempDir())}
	}
	r := &objectResource{k: k, c: c}
	var resp resource.SchemaResponse
	r.Schema(context.Background(), resource.SchemaRequest{}, &resp)
	return &harness{t: t, ctx: context.Background(), r: r, schema: resp.Schema, store: c.store}
}

// value builds an object of the schema's type: given attributes, the others null.
func (h *harness) value(attrs map[string]any) tftypes.Value {
	typ := h.schema.Type().TerraformType(h.ctx).(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		v, ok := attrs[name]
		switch {
		case !ok:
			vals[name] = tftypes.NewValue(at, nil)
		case at.Is(tftypes.Map{}):
			m := map[string]tftypes.Value{}
			for k, s := range v.(map[string]string) {
				m[k] = tftypes.NewValue(tftypes.String, s)
			}
			vals[name] = tftypes.NewValue(at, m)
		case at.Is(tftypes.Number):
			vals[name] = tftypes.NewValue(at, v.(int))
		default:
			vals[name] = tftypes.NewValue(at, v)
		}
	}
	return tftypes.NewValue(typ, vals)
}

func (h *harness) emptyState() tfsdk.State {
	return tfsdk.State{Schema: h.schema, Raw: tftypes.NewValue(h.schema.Type().TerraformType(h.ctx), nil)}
}

func (h *harness) create(attrs map[string]any) (tfsdk.State, string) {
	h.t.Helper()
	resp := resource.CreateResponse{State: h.emptyState()}
	h.r.Create(h.ctx, resource.CreateRequest{Plan: tfsdk.Plan{Schema: h.schema, Raw: h.value(attrs)}}, &resp)
	return resp.State, diagText(resp.Diagnostics)
}

func (h *harness) read(state tfsdk.State) (tfsdk.State, string) {
	h.t.Helper()
	resp := resource.ReadResponse{State: state}
	h.r.Read(h.ctx, resource.ReadRequest{State: state}, &resp)
	return resp.State, diagText(resp.Diagnostics)
}

func (h *harness) update(state tfsdk.State, attrs map[string]any) (tfsdk.State, string) {
	h.t.Helper()
	resp := resource.UpdateResponse{State: state}
	h.r.Update(h.ctx, resource.UpdateRequest{State: state, Plan: tfsdk.Plan{Schema: h.schema, Raw: h.value(attrs)}}, &resp)
	return resp.State, diagText(resp.Diagnostics)
}

func (h *harness) delete(state tfsdk.State) string {
	h.t.Helper()
	resp := resource.DeleteResponse{State: state}
	h.r.Delete(h.ctx, resource.DeleteRequest{State: state}, &resp)
	return diagText(resp.Diagnostics)
}

func (h *harness) doc(collection, name string) map[string]any {
	h.t.Helper()
	data, err := os.ReadFile(filepath.Join(h.store.Dir, collection, name+".json"))
	if err != nil {
		h.t.Fatal(err)
	}
	var doc map[string]any
	json.Unmarshal(data, &doc)
	return doc
}

func (h *harness) edit(collection, name string, patch map[string]any) {
	h.t.Helper()
	doc := h.doc(collection, name)
	for k, v := range patch {
		doc[k] = v
	}
	data, _ := json.Marshal(doc)
	if err := os.WriteFile(filepath.Join(h.store.Dir, collection, name+".json"), data, 0o644); err != nil {
		h.t.Fatal(err)
	}
}

func get[T any](h *harness, state tfsdk.State, name string) T {
	h.t.Helper()
	var v T
	if d := state.GetAttribute(h.ctx, pathOf(name), &v); d.HasError() {
		h.t.Fatalf("%s: %s", name, diagText(d))
	}
	return v
}

func diagText(d diag.Diagnostics) string {
	var parts []string
	for _, e := range d.Errors() {
		parts = append(parts, e.Summary()+": "+e.Detail())
	}
	return strings.Join(parts, "\n")
}

func pathOf(name string) path.Path { return path.Root(name) }

// modifiersOf is an attribute's plan modifiers (RequiresReplace for those that replace).
func modifiersOf(a schema.Attribute) []any {
	var out []any
	switch s := a.(type) {
	case schema.StringAttribute:
		for _, m := range s.PlanModifiers {
			out = append(out, m)
		}
	case schema.Int64Attribute:
		for _, m := range s.PlanModifiers {
			out = append(out, m)
		}
	case schema.BoolAttribute:
		for _, m := range s.PlanModifiers {
			out = append(out, m)
		}
	case schema.MapAttribute:
		for _, m := range s.PlanModifiers {
			out = append(out, m)
		}
	}
	return out
}

var cluster = map[string]any{
	"name": "poc-acme-1a2b3c4d-gke", "location": "europe-west1", "network": "poc-acme-1a2b3c4d-vpc",
	"node_count": 1, "machine_type": "e2-standard-2",
	"labels": map[string]string{"tenant": "acme", "tenant_id": "t-1", "managed_by": "poc-provisioning-engine"},
}

func with(base map[string]any, patch map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range patch {
		out[k] = v
	}
	return out
}

func TestCreateWritesOneDocumentAndReadGivesBackWhatTheCloudHas(t *testing.T) {
	h := newHarness(t, clusterKind, nil)
	state, errs := h.create(cluster)
	if errs != "" {
		t.Fatal(errs)
	}
	doc := h.doc("clusters", "poc-acme-1a2b3c4d-gke")
	if doc["status"] != "RUNNING" || doc["self_link"] != "projects/local/locations/europe-west1/clusters/poc-acme-1a2b3c4d-gke" {
		t.Fatalf("document: %v", doc)
	}
	if got := get[string](h, state, "id"); got != doc["self_link"] {
		t.Fatalf("id %q", got)
	}
	// Edited outside tofu: read shows the cloud's values (drift).
	h.edit("clusters", "poc-acme-1a2b3c4d-gke", map[string]any{"node_count": 5, "labels": map[string]any{"tenant": "other"}})
	state, errs = h.read(state)
	if errs != "" {
		t.Fatal(errs)
	}
	if n := get[int64](h, state, "node_count"); n != 5 {
		t.Fatalf("node_count after edit: %d", n)
	}
	if l := get[map[string]string](h, state, "labels"); l["tenant"] != "other" || len(l) != 1 {
		t.Fatalf("labels after edit: %v", l)
	}
}

func TestReadOfAnObjectDeletedOutsideTofuRemovesItFromState(t *testing.T) {
	h := newHarness(t, networkKind, nil)
	state, _ := h.create(map[string]any{"name": "n"})
	os.Remove(filepath.Join(h.store.Dir, "networks", "n.json"))
	state, errs := h.read(state)
	if errs != "" || !state.Raw.IsNull() {
		t.Fatalf("want removed from state, got %v (%s)", state.Raw, errs)
	}
}

func TestNodeCountMachineTypeAndLabelsChangeInPlaceAndOtherAttributesReplace(t *testing.T) {
	h := newHarness(t, clusterKind, nil)
	for name, inPlace := range map[string]bool{"node_count": true, "machine_type": true, "labels": true, "metadata": true, "deletion_protection": true, "name": false, "location": false, "network": false, "private_nodes": false} {
		if got := len(modifiersOf(h.schema.Attributes[name])) == 0; got != inPlace {
			t.Errorf("%s: in place %v, want %v", name, got, inPlace)
		}
	}
	state, _ := h.create(cluster)
	created := h.doc("clusters", "poc-acme-1a2b3c4d-gke")["create_time"]
	state, errs := h.update(state, with(cluster, map[string]any{"node_count": 3, "machine_type": "e2-standard-4", "labels": map[string]string{"tenant": "acme", "extra": "x"}}))
	if errs != "" {
		t.Fatal(errs)
	}
	doc := h.doc("clusters", "poc-acme-1a2b3c4d-gke")
	if doc["node_count"] != 3.0 || doc["machine_type"] != "e2-standard-4" || doc["create_time"] != created {
		t.Fatalf("document after update: %v", doc)
	}
	if l := get[map[string]string](h, state, "labels"); l["extra"] != "x" {
		t.Fatalf("labels: %v", l)
	}
}

func TestTheDatabaseActivationPolicyStopsAndStartsTheInstanceInPlace(t *testing.T) {
	h := newHarness(t, databaseInstanceKind, nil)
	db := map[string]any{"name": "db1", "region": "europe-west1", "network": "n", "tier": "db-f1-micro", "activation_policy": "RUNNING"}
	if len(modifiersOf(h.schema.Attributes["tier"])) != 0 || len(modifiersOf(h.schema.Attributes["activation_policy"])) != 0 {
		t.Fatal("tier and activation_policy must change in place")
	}
	state, _ := h.create(db)
	state, errs := h.update(state, with(db, map[string]any{"activation_policy": "STOPPED", "tier": "db-custom-1-3840"}))
	if errs != "" {
		t.Fatal(errs)
	}
	if s := get[string](h, state, "status"); s != "STOPPED" {
		t.Fatalf("status %s", s)
	}
	if c := get[string](h, state, "connection_name"); c != "local:europe-west1:db1" {
		t.Fatalf("connection_name %s", c)
	}
}

func TestCreateOfATakenNameAnswers409NamingTheObjectsPath(t *testing.T) {
	h := newHarness(t, networkKind, nil)
	h.create(map[string]any{"name": "n"})
	_, errs := h.create(map[string]any{"name": "n"})
	if !strings.Contains(errs, "failed to create network n") || !strings.Contains(errs, "googleapi: Error 409: The resource 'projects/local/global/networks/n' already exists, alreadyExists") {
		t.Fatalf("errors: %s", errs)
	}
}

func TestDeleteOfAnAbsentObjectSucceedsAndDeletionProtectionRefuses(t *testing.T) {
	h := newHarness(t, networkKind, nil)
	state, _ := h.create(map[string]any{"name": "n", "deletion_protection": true})
	if errs := h.delete(state); !strings.Contains(errs, "failed to delete network n") || !strings.Contains(errs, "deletion protection enabled") {
		t.Fatalf("protected delete: %q", errs)
	}
	h.edit("networks", "n", map[string]any{"deletion_protection": false})
	if errs := h.delete(state); errs != "" {
		t.Fatal(errs)
	}
	if errs := h.delete(state); errs != "" {
		t.Fatalf("second delete: %s", errs)
	}
}

func TestCreateTakesItsDurationAndAnInterruptedCreateStillRecordsTheObject(t *testing.T) {
	c := &client{store: cloud.NewStore(t.TempDir()), createDuration: 300 * time.Millisecond}
	h := newHarness(t, networkKind, c)
	started := time.Now()
	state, errs := h.create(map[string]any{"name": "slow"})
	if errs != "" || time.Since(started) < 300*time.Millisecond {
		t.Fatalf("took %v: %s", time.Since(started), errs)
	}
	if s := get[string](h, state, "status"); s != "RUNNING" {
		t.Fatalf("status %s", s)
	}

	c.createDuration = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	h.ctx = ctx
	go func() { time.Sleep(100 * time.Millisecond); cancel() }()
	state, errs = h.create(map[string]any{"name": "stopped"})
	if !strings.Contains(errs, "failed to create network stopped") {
		t.Fatalf("errors: %s", errs)
	}
	h.ctx = context.Background()
	if s := get[string](h, state, "status"); s != "PROVISIONING" {
		t.Fatalf("the interrupted create recorded status %q", s)
	}
	if doc := h.doc("networks", "stopped"); doc["status"] != "PROVISIONING" {
		t.Fatalf("document: %v", doc)
	}
}

func TestInjectedFaultsFailTheCallWithTheirCode(t *testing.T) {
	c := &client{store: cloud.NewStore(t.TempDir()), faults: []cloud.Fault{{Resource: "localcloud_network", Call: "create", Code: 503, Count: 1}}}
	h := newHarness(t, networkKind, c)
	if _, errs := h.create(map[string]any{"name": "n"}); !strings.Contains(errs, "googleapi: Error 503") {
		t.Fatalf("first create: %q", errs)
	}
	if _, err := os.Stat(filepath.Join(h.store.Dir, "networks", "n.json")); !os.IsNotExist(err) {
		t.Fatal("a failed create left an object")
	}
	if _, errs := h.create(map[string]any{"name": "n"}); errs != "" {
		t.Fatalf("second create: %s", errs)
	}
}

func TestImportByPathTakesTheObjectAsTheCloudHasIt(t *testing.T) {
	h := newHarness(t, clusterKind, nil)
	h.create(cluster)
	resp := resource.ImportStateResponse{State: h.emptyState()}
	h.r.ImportState(h.ctx, resource.ImportStateRequest{ID: "projects/local/locations/europe-west1/clusters/poc-acme-1a2b3c4d-gke"}, &resp)
	state, errs := h.read(resp.State)
	if errs != "" {
		t.Fatal(errs)
	}
	if get[string](h, state, "network") != "poc-acme-1a2b3c4d-vpc" || get[map[string]string](h, state, "labels")["tenant_id"] != "t-1" {
		t.Fatalf("imported: %v", state.Raw)
	}
}
