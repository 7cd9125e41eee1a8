package provider

import (
	"context"

	fwattr "github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// objectsDataSource lists the cloud's objects that carry given labels (every type).
type objectsDataSource struct{ c *client }

type objectsModel struct {
	Labels  types.Map  `tfsdk:"labels"`
	Objects types.List `tfsdk:"objects"`
}

var objectType = map[string]fwattr.Type{
	"collection": types.StringType,
	"name":       types.StringType,
	"self_link":  types.StringType,
	"status":     types.StringType,
	"labels":     types.MapType{ElemType: types.StringType},
}

func (d *objectsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_objects"
}

func (d *objectsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Objects of every type whose labels include all the given labels.",
		Attributes: map[string]schema.Attribute{
			"labels": schema.MapAttribute{ElementType: types.StringType, Required: true, Description: "Labels an object must carry."},
			"objects": schema.ListNestedAttribute{
				Computed: true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"collection": schema.StringAttribute{Computed: true, Description: "networks, clusters or instances."},
					"name":       schema.StringAttribute{Computed: true},
					"self_link":  schema.StringAttribute{Computed: true},
					"status":     schema.StringAttribute{Computed: true},
					"labels":     schema.MapAttribute{ElementType: types.StringType, Computed: true},
				}},
			},
		},
	}
}

func (d *objectsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if c := configuredClient(req.ProviderData, &resp.Diagnostics); c != nil {
		d.c = c
	}
}

func (d *objectsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m objectsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	want := map[string]string{}
	resp.Diagnostics.Append(m.Labels.ElementsAs(ctx, &want, false)...)
	found, err := d.c.store.List(want)
	if err != nil {
		resp.Diagnostics.AddError("failed to list objects", err.Error())
		return
	}
	items := make([]fwattr.Value, 0, len(found))
	for _, o := range found {
		labels, diags := types.MapValueFrom(ctx, types.StringType, labelsOf(o))
		resp.Diagnostics.Append(diags...)
		v, diags := types.ObjectValue(objectType, map[string]fwattr.Value{
			"collection": types.StringValue(str(o["collection"])),
			"name":       types.StringValue(str(o["name"])),
			"self_link":  types.StringValue(str(o["self_link"])),
			"status":     types.StringValue(str(o["status"])),
			"labels":     labels,
		})
		resp.Diagnostics.Append(diags...)
		items = append(items, v)
	}
	list, diags := types.ListValue(types.ObjectType{AttrTypes: objectType}, items)
	resp.Diagnostics.Append(diags...)
	m.Objects = list
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
