package provider

import (
	"fmt"
	"strings"

	"github.com/poc-engine/terraform-provider-localcloud/internal/cloud"
)

type attrType int

const (
	tString attrType = iota
	tInt
	tBool
	tStringMap
)

// attr is one configurable attribute of a kind. Attributes that are not updatable replace the
// object when they change, as the cloud's API cannot change them.
type attr struct {
	name        string
	typ         attrType
	required    bool
	updatable   bool
	defaultStr  string
	oneOf       []string
	description string
}

// kind describes one resource type of the simulated cloud.
type kind struct {
	typeName   string // suffix of the resource type: localcloud_<typeName>
	title      string // for messages: "network"
	collection string // folder of its documents
	attrs      []attr
	// path is the object's path as its API names it (what `tofu import` takes).
	path func(o cloud.Object) string
	// fromPath parses an import id (a path or a bare name) into attributes.
	fromPath func(id string) cloud.Object
	// readyStatus is the status an object settles in once created or updated.
	readyStatus func(o cloud.Object) string
	// computed fills the attributes the cloud derives (endpoints, addresses).
	computed func(o cloud.Object)
}

var common = []attr{
	{name: "name", typ: tString, required: true, description: "Name, unique among objects of its type."},
	{name: "labels", typ: tStringMap, updatable: true, description: "Labels; changed in place."},
}

var protection = attr{name: "deletion_protection", typ: tBool, updatable: true, description: "While true, deleting the object fails (400 failedPrecondition)."}

func lastSegment(id string) string { return id[strings.LastIndex(id, "/")+1:] }

func segmentAfter(id, key string) string {
	parts := strings.Split(id, "/")
	for i := 0; i+1 < len(parts); i++ {
		if parts[i] == key {
			return parts[i+1]
		}
	}
	return ""
}

func running(cloud.Object) string { return cloud.StatusRunning }

var networkKind = kind{
	typeName:    "network",
	title:       "network",
	collection:  "networks",
	attrs:       append(append([]attr{}, common...), protection),
	path:        func(o cloud.Object) string { return "projects/local/global/networks/" + str(o["name"]) },
	fromPath:    func(id string) cloud.Object { return cloud.Object{"name": lastSegment(id)} },
	readyStatus: running,
	computed:    func(cloud.Object) {},
}

var clusterKind = kind{
	typeName:   "cluster",
	title:      "cluster",
	collection: "clusters",
	attrs: append(append([]attr{}, common...),
		attr{name: "location", typ: tString, required: true, description: "Region of the cluster."},
		attr{name: "network", typ: tString, required: true, description: "Name of the network the nodes are in."},
		attr{name: "node_count", typ: tInt, required: true, updatable: true, description: "Number of nodes; changed in place."},
		attr{name: "machine_type", typ: tString, required: true, updatable: true, description: "Machine type of the nodes; changed in place."},
		attr{name: "private_nodes", typ: tBool, description: "Nodes without public addresses."},
		attr{name: "metadata", typ: tStringMap, updatable: true, description: "Metadata handed to the nodes; changed in place."},
		protection,
	),
	path: func(o cloud.Object) string {
		return fmt.Sprintf("projects/local/locations/%s/clusters/%s", str(o["location"]), str(o["name"]))
	},
	fromPath: func(id string) cloud.Object {
		o := cloud.Object{"name": lastSegment(id)}
		if loc := segmentAfter(id, "locations"); loc != "" {
			o["location"] = loc
		}
		return o
	},
	readyStatus: running,
	computed: func(o cloud.Object) {
		o["endpoint"] = fmt.Sprintf("https://%s.%s.clusters.local", str(o["name"]), str(o["location"]))
	},
}

var databaseInstanceKind = kind{
	typeName:   "database_instance",
	title:      "database instance",
	collection: "instances",
	attrs: append(append([]attr{}, common...),
		attr{name: "region", typ: tString, required: true, description: "Region of the instance."},
		attr{name: "network", typ: tString, required: true, description: "Name of the network it has its private address in."},
		attr{name: "tier", typ: tString, required: true, updatable: true, description: "Machine tier; changed in place."},
		attr{name: "activation_policy", typ: tString, updatable: true, defaultStr: cloud.StatusRunning, oneOf: []string{cloud.StatusRunning, cloud.StatusStopped}, description: "RUNNING or STOPPED; changed in place."},
		protection,
	),
	path:     func(o cloud.Object) string { return "projects/local/instances/" + str(o["name"]) },
	fromPath: func(id string) cloud.Object { return cloud.Object{"name": lastSegment(id)} },
	readyStatus: func(o cloud.Object) string {
		if str(o["activation_policy"]) == cloud.StatusStopped {
			return cloud.StatusStopped
		}
		return cloud.StatusRunning
	},
	computed: func(o cloud.Object) {
		o["connection_name"] = fmt.Sprintf("local:%s:%s", str(o["region"]), str(o["name"]))
		o["private_ip"] = "10.10.0.3"
	},
}

// computedAttrs are set by the cloud on every kind, besides the kind's own computed ones.
var computedAttrs = map[string][]string{
	"network":           {"id", "self_link", "status", "create_time"},
	"cluster":           {"id", "self_link", "status", "create_time", "endpoint"},
	"database_instance": {"id", "self_link", "status", "create_time", "connection_name", "private_ip"},
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func labelsOf(o cloud.Object) map[string]string { return cloud.Labels(o) }
