// terraform-provider-localcloud: the provider of the local stack's simulated cloud (a directory
// of JSON documents). Run by tofu it serves the plugin protocol; run as
// `terraform-provider-localcloud list -dir D [-label k=v ...]` it prints the objects carrying
// those labels as a JSON array.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/poc-engine/terraform-provider-localcloud/internal/cloud"
	"github.com/poc-engine/terraform-provider-localcloud/internal/provider"
)

// Address is the provider's source address; the engine's filesystem mirror holds it there.
const Address = "poc-engine.local/engine/localcloud"

// version is stamped by the build (-X main.version=...).
var version = "0.1.0"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "list" {
		os.Exit(list(os.Args[2:]))
	}
	go exitWithParent()
	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{Address: Address})
	if err != nil {
		log.Fatal(err)
	}
}

// exitWithParent ends the provider when tofu, its parent, is gone (killed with SIGKILL, it cannot
// stop its plugins): an orphan would wait forever for a client. The cloud loses nothing: an
// object being created finishes by itself (its ready_at), as a cloud's operation does.
func exitWithParent() {
	parent := os.Getppid()
	for range time.Tick(500 * time.Millisecond) {
		if os.Getppid() != parent {
			os.Exit(3)
		}
	}
}

type labelFlags map[string]string

func (l labelFlags) String() string { return fmt.Sprint(map[string]string(l)) }

func (l labelFlags) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("a label is key=value, not %q", s)
	}
	l[k] = v
	return nil
}

func list(args []string) int {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	dir := fs.String("dir", os.Getenv(provider.EnvDirectory), "directory of the cloud's documents")
	labels := labelFlags{}
	fs.Var(labels, "label", "key=value an object must carry (repeatable)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "list: -dir or "+provider.EnvDirectory+" is required")
		return 2
	}
	found, err := cloud.NewStore(*dir).List(labels)
	if err != nil {
		fmt.Fprintln(os.Stderr, "list:", err)
		return 1
	}
	if found == nil {
		found = []cloud.Object{}
	}
	out, _ := json.MarshalIndent(found, "", "  ")
	fmt.Println(string(out))
	return 0
}
