// Package provider is the terraform-plugin-framework provider of the simulated cloud.
package provider

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/poc-engine/terraform-provider-localcloud/internal/cloud"
)

// Environment variables that stand in for the provider configuration.
const (
	EnvDirectory     = "LOCALCLOUD_DIR"
	EnvCreateSeconds = "LOCALCLOUD_CREATE_SECONDS"
)

// client is what the resources share: the store and the configured behaviour.
type client struct {
	store          *cloud.Store
	createDuration time.Duration
	faults         []cloud.Fault
}

type localCloudProvider struct{ version string }

// New returns the provider factory for providerserver.Serve.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &localCloudProvider{version: version} }
}

type providerModel struct {
	Directory     types.String  `tfsdk:"directory"`
	CreateSeconds types.Float64 `tfsdk:"create_seconds"`
	Faults        []faultModel  `tfsdk:"faults"`
}

type faultModel struct {
	Resource types.String `tfsdk:"resource"`
	Call     types.String `tfsdk:"call"`
	Code     types.Int64  `tfsdk:"code"`
	Reason   types.String `tfsdk:"reason"`
	Count    types.Int64  `tfsdk:"count"`
}

func (p *localCloudProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "localcloud"
	resp.Version = p.version
}

func (p *localCloudProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "A simulated cloud whose objects are JSON documents in one directory.",
		Attributes: map[string]schema.Attribute{
			"directory": schema.StringAttribute{
				Optional:    true,
				Description: "Directory of the cloud's documents (else " + EnvDirectory + ").",
			},
			"create_seconds": schema.Float64Attribute{
				Optional:    true,
				Description: "How long a create takes: the object is PROVISIONING meanwhile (else " + EnvCreateSeconds + ", else 0).",
			},
			"faults": schema.ListNestedAttribute{
				Optional:    true,
				Description: "Calls that fail: each object's matching call fails count times (negative: always), then succeeds.",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"resource": schema.StringAttribute{Optional: true, Description: "Resource type, e.g. localcloud_cluster; null for all."},
						"call": schema.StringAttribute{Optional: true, Description: "create, read, update or delete; null for all.",
							Validators: []validator.String{oneOfValidator([]string{"create", "read", "update", "delete", "*"})}},
						"code":   schema.Int64Attribute{Required: true, Description: "HTTP status: 400, 403, 429, 500, 503."},
						"reason": schema.StringAttribute{Optional: true, Description: "Google's reason, e.g. quotaExceeded."},
						"count":  schema.Int64Attribute{Required: true, Description: "Times each object's call fails; negative for always."},
					},
				},
			},
		},
	}
}

func (p *localCloudProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	dir := os.Getenv(EnvDirectory)
	if !cfg.Directory.IsNull() && !cfg.Directory.IsUnknown() && cfg.Directory.ValueString() != "" {
		dir = cfg.Directory.ValueString()
	}
	if dir == "" {
		resp.Diagnostics.AddError("missing required directory", "set the provider's directory or "+EnvDirectory)
		return
	}
	seconds := 0.0
	if s := strings.TrimSpace(os.Getenv(EnvCreateSeconds)); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			resp.Diagnostics.AddError("invalid "+EnvCreateSeconds, err.Error())
			return
		}
		seconds = v
	}
	if !cfg.CreateSeconds.IsNull() && !cfg.CreateSeconds.IsUnknown() {
		seconds = cfg.CreateSeconds.ValueFloat64()
	}
	c := &client{store: cloud.NewStore(dir), createDuration: time.Duration(seconds * float64(time.Second))}
	for _, f := range cfg.Faults {
		c.faults = append(c.faults, cloud.Fault{
			Resource: f.Resource.ValueString(),
			Call:     f.Call.ValueString(),
			Code:     int(f.Code.ValueInt64()),
			Reason:   f.Reason.ValueString(),
			Count:    int(f.Count.ValueInt64()),
		})
	}
	resp.ResourceData = c
	resp.DataSourceData = c
}

func (p *localCloudProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		resourceFor(networkKind),
		resourceFor(clusterKind),
		resourceFor(databaseInstanceKind),
	}
}

func (p *localCloudProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{func() datasource.DataSource { return &objectsDataSource{} }}
}

// oneOf is a string validator for a closed vocabulary.
type oneOf []string

func oneOfValidator(values []string) validator.String { return oneOf(values) }

func (o oneOf) Description(context.Context) string {
	return "one of " + strings.Join(o, ", ")
}

func (o oneOf) MarkdownDescription(ctx context.Context) string { return o.Description(ctx) }

func (o oneOf) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for _, v := range o {
		if v == req.ConfigValue.ValueString() {
			return
		}
	}
	resp.Diagnostics.AddAttributeError(req.Path, "invalid value",
		fmt.Sprintf("%q must be one of %s", req.ConfigValue.ValueString(), strings.Join(o, ", ")))
}

// configuredClient is the provider's client handed to a resource or data source by Configure;
// nil before the provider is configured (validation calls), or with an error on a wrong type.
func configuredClient(data any, diags *diag.Diagnostics) *client {
	if data == nil {
		return nil
	}
	c, ok := data.(*client)
	if !ok {
		diags.AddError("unexpected provider data", fmt.Sprintf("%T", data))
	}
	return c
}
