package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	fwattr "github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/poc-engine/terraform-provider-localcloud/internal/cloud"
)

// objectResource is one resource type of the simulated cloud, driven by its kind.
type objectResource struct {
	k kind
	c *client
}

var (
	_ resource.Resource                = (*objectResource)(nil)
	_ resource.ResourceWithConfigure   = (*objectResource)(nil)
	_ resource.ResourceWithImportState = (*objectResource)(nil)
)

func resourceFor(k kind) func() resource.Resource {
	return func() resource.Resource { return &objectResource{k: k} }
}

func (r *objectResource) typeName() string { return "localcloud_" + r.k.typeName }

func (r *objectResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.k.typeName
}

func (r *objectResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if c := configuredClient(req.ProviderData, &resp.Diagnostics); c != nil {
		r.c = c
	}
}

func (r *objectResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := map[string]schema.Attribute{}
	for _, a := range r.k.attrs {
		attrs[a.name] = schemaAttribute(a)
	}
	for _, name := range computedAttrs[r.k.typeName] {
		ca := schema.StringAttribute{Computed: true, Description: "Set by the cloud."}
		// status changes with updates (activation policy); the others never change in place.
		if name != "status" {
			ca.PlanModifiers = []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
		}
		attrs[name] = ca
	}
	resp.Schema = schema.Schema{
		Description: fmt.Sprintf("A %s of the simulated cloud: one JSON document under <directory>/%s/.", r.k.title, r.k.collection),
		Attributes:  attrs,
	}
}

func schemaAttribute(a attr) schema.Attribute {
	switch a.typ {
	case tInt:
		s := schema.Int64Attribute{Required: a.required, Optional: !a.required, Description: a.description}
		if !a.updatable {
			s.PlanModifiers = []planmodifier.Int64{int64planmodifier.RequiresReplace()}
		}
		return s
	case tBool:
		s := schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false), Description: a.description}
		if !a.updatable {
			s.PlanModifiers = []planmodifier.Bool{boolplanmodifier.RequiresReplace()}
		}
		return s
	case tStringMap:
		s := schema.MapAttribute{ElementType: types.StringType, Optional: true, Description: a.description}
		if !a.updatable {
			s.PlanModifiers = []planmodifier.Map{mapplanmodifier.RequiresReplace()}
		}
		return s
	default:
		s := schema.StringAttribute{Required: a.required, Optional: !a.required, Description: a.description}
		if a.defaultStr != "" {
			s.Computed = true
			s.Default = stringdefault.StaticString(a.defaultStr)
		}
		if !a.updatable {
			s.PlanModifiers = []planmodifier.String{stringplanmodifier.RequiresReplace()}
		}
		if len(a.oneOf) > 0 {
			s.Validators = []validator.String{oneOfValidator(a.oneOf)}
		}
		return s
	}
}

func (r *objectResource) fail(diags *diag.Diagnostics, verb string, obj cloud.Object, err error) {
	diags.AddError(fmt.Sprintf("failed to %s %s %s", verb, r.k.title, str(obj["name"])), err.Error())
}

func (r *objectResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	obj := cloud.Object{}
	resp.Diagnostics.Append(readAttrs(ctx, req.Plan, r.k.attrs, obj, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name, selfLink := str(obj["name"]), r.k.path(obj)
	if err := r.c.store.Inject(r.typeName(), "create", name, selfLink, r.c.faults); err != nil {
		r.fail(&resp.Diagnostics, "create", obj, err)
		return
	}
	now := r.c.store.Now().UTC()
	obj["self_link"] = selfLink
	obj["create_time"] = now.Format(time.RFC3339Nano)
	obj["update_time"] = obj["create_time"]
	if r.c.createDuration > 0 {
		// Asynchronous, like a cloud's long-running operation: the object exists at once,
		// PROVISIONING until ready_at.
		obj["status"] = cloud.StatusProvisioning
		obj["ready_at"] = now.Add(r.c.createDuration).Format(time.RFC3339Nano)
		obj["ready_status"] = r.k.readyStatus(obj)
	} else {
		obj["status"] = r.k.readyStatus(obj)
	}
	r.k.computed(obj)
	if err := r.c.store.Insert(r.k.collection, obj, selfLink); err != nil {
		r.fail(&resp.Diagnostics, "create", obj, err)
		return
	}
	ready, err := r.waitReady(ctx, obj)
	if err != nil {
		// Interrupted (tofu stopping): the object exists and goes on being created. Recording it
		// makes tofu keep it (tainted), so a destroy removes it.
		resp.Diagnostics.Append(r.writeState(ctx, &resp.State, req.Plan, obj)...)
		r.fail(&resp.Diagnostics, "create", obj, fmt.Errorf("waiting for %s: %w (the object exists and is recorded)", selfLink, err))
		return
	}
	resp.Diagnostics.Append(r.writeState(ctx, &resp.State, req.Plan, ready)...)
}

// waitReady waits until the object's creation has finished, as a provider polls an operation.
func (r *objectResource) waitReady(ctx context.Context, obj cloud.Object) (cloud.Object, error) {
	name, selfLink := str(obj["name"]), str(obj["self_link"])
	for {
		cur, err := r.c.store.Get(r.k.collection, name, selfLink)
		if err != nil {
			return nil, err
		}
		if cur["status"] != cloud.StatusProvisioning {
			if obj["status"] == cloud.StatusProvisioning {
				// Record the settled status, so the document says what readers see.
				if err := r.c.store.Put(r.k.collection, cur); err != nil {
					return nil, err
				}
			}
			return cur, nil
		}
		readyAt, _ := time.Parse(time.RFC3339Nano, str(cur["ready_at"]))
		wait := min(max(time.Until(readyAt), time.Millisecond), 250*time.Millisecond)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
	}
}

func (r *objectResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	prior := cloud.Object{}
	resp.Diagnostics.Append(readAttrs(ctx, req.State, r.k.attrs, prior, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name, selfLink := str(prior["name"]), r.k.path(prior)
	if err := r.c.store.Inject(r.typeName(), "read", name, selfLink, r.c.faults); err != nil {
		r.fail(&resp.Diagnostics, "read", prior, err)
		return
	}
	obj, err := r.c.store.Get(r.k.collection, name, selfLink)
	if cloud.IsNotFound(err) {
		// Gone outside tofu: drift that the next plan creates again.
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		r.fail(&resp.Diagnostics, "read", prior, err)
		return
	}
	resp.Diagnostics.Append(r.writeState(ctx, &resp.State, req.State, obj)...)
}

func (r *objectResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	planned := cloud.Object{}
	resp.Diagnostics.Append(readAttrs(ctx, req.Plan, r.k.attrs, planned, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name, selfLink := str(planned["name"]), r.k.path(planned)
	if err := r.c.store.Inject(r.typeName(), "update", name, selfLink, r.c.faults); err != nil {
		r.fail(&resp.Diagnostics, "update", planned, err)
		return
	}
	obj, err := r.c.store.Get(r.k.collection, name, selfLink)
	if err != nil {
		r.fail(&resp.Diagnostics, "update", planned, err)
		return
	}
	for _, a := range r.k.attrs {
		if a.updatable {
			if v, ok := planned[a.name]; ok {
				obj[a.name] = v
			} else {
				delete(obj, a.name)
			}
		}
	}
	obj["update_time"] = r.c.store.Now().UTC().Format(time.RFC3339Nano)
	if obj["status"] != cloud.StatusProvisioning {
		obj["status"] = r.k.readyStatus(obj)
	} else {
		obj["ready_status"] = r.k.readyStatus(obj)
	}
	r.k.computed(obj)
	if err := r.c.store.Put(r.k.collection, obj); err != nil {
		r.fail(&resp.Diagnostics, "update", planned, err)
		return
	}
	resp.Diagnostics.Append(r.writeState(ctx, &resp.State, req.Plan, obj)...)
}

func (r *objectResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	prior := cloud.Object{}
	resp.Diagnostics.Append(readAttrs(ctx, req.State, r.k.attrs, prior, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name, selfLink := str(prior["name"]), r.k.path(prior)
	if err := r.c.store.Inject(r.typeName(), "delete", name, selfLink, r.c.faults); err != nil {
		r.fail(&resp.Diagnostics, "delete", prior, err)
		return
	}
	obj, err := r.c.store.Get(r.k.collection, name, selfLink)
	if cloud.IsNotFound(err) {
		return // already gone: deleting it again is not an error
	}
	if err != nil {
		r.fail(&resp.Diagnostics, "delete", prior, err)
		return
	}
	if obj["deletion_protection"] == true {
		r.fail(&resp.Diagnostics, "delete", prior, cloud.DeletionProtected(selfLink))
		return
	}
	if err := r.c.store.Delete(r.k.collection, name); err != nil {
		r.fail(&resp.Diagnostics, "delete", prior, err)
	}
}

// ImportState takes an object by its path (projects/local/global/networks/<name>) or its name.
func (r *objectResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	for k, v := range r.k.fromPath(req.ID) {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(k), types.StringValue(str(v)))...)
	}
}

type getter interface {
	GetAttribute(context.Context, path.Path, interface{}) diag.Diagnostics
}

// readAttrs copies the known, non-null configurable attributes of plan or state into obj.
func readAttrs(ctx context.Context, g getter, attrs []attr, obj cloud.Object, _ bool) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, a := range attrs {
		p := path.Root(a.name)
		switch a.typ {
		case tInt:
			var v types.Int64
			diags.Append(g.GetAttribute(ctx, p, &v)...)
			if !v.IsNull() && !v.IsUnknown() {
				obj[a.name] = v.ValueInt64()
			}
		case tBool:
			var v types.Bool
			diags.Append(g.GetAttribute(ctx, p, &v)...)
			if !v.IsNull() && !v.IsUnknown() {
				obj[a.name] = v.ValueBool()
			}
		case tStringMap:
			var v types.Map
			diags.Append(g.GetAttribute(ctx, p, &v)...)
			if !v.IsNull() && !v.IsUnknown() {
				m := map[string]string{}
				diags.Append(v.ElementsAs(ctx, &m, false)...)
				obj[a.name] = toAny(m)
			}
		default:
			var v types.String
			diags.Append(g.GetAttribute(ctx, p, &v)...)
			if !v.IsNull() && !v.IsUnknown() {
				obj[a.name] = v.ValueString()
			}
		}
	}
	return diags
}

// writeState sets every attribute from the object as the cloud has it. An empty map stays as
// prior had it (null or empty), so that neither reads as a change.
func (r *objectResource) writeState(ctx context.Context, state *tfsdk.State, prior getter, obj cloud.Object) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, a := range r.k.attrs {
		p := path.Root(a.name)
		var value fwattr.Value
		switch a.typ {
		case tInt:
			if n, ok := toInt(obj[a.name]); ok {
				value = types.Int64Value(n)
			} else {
				value = types.Int64Null()
			}
		case tBool:
			b, _ := obj[a.name].(bool)
			value = types.BoolValue(b)
		case tStringMap:
			m := map[string]string{}
			if raw, ok := obj[a.name].(map[string]any); ok {
				for k, v := range raw {
					m[k] = fmt.Sprint(v)
				}
			}
			var before types.Map
			diags.Append(prior.GetAttribute(ctx, p, &before)...)
			if len(m) == 0 && (before.IsNull() || before.IsUnknown()) {
				value = types.MapNull(types.StringType)
			} else {
				v, d := types.MapValueFrom(ctx, types.StringType, m)
				diags.Append(d...)
				value = v
			}
		default:
			if s, ok := obj[a.name].(string); ok {
				value = types.StringValue(s)
			} else {
				value = types.StringNull()
			}
		}
		diags.Append(state.SetAttribute(ctx, p, value)...)
	}
	for _, name := range computedAttrs[r.k.typeName] {
		v := str(obj[name])
		if name == "id" {
			v = str(obj["self_link"])
		}
		diags.Append(state.SetAttribute(ctx, path.Root(name), types.StringValue(v))...)
	}
	return diags
}

func toAny(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func toInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case float64:
		return int64(n), true
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	}
	return 0, false
}
