package cloud

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func newStore(t *testing.T) *Store {
	t.Helper()
	return NewStore(t.TempDir())
}

func apiCode(err error) int {
	var api *APIError
	if errors.As(err, &api) {
		return api.Code
	}
	return 0
}

func TestInsertRefusesANameThatExistsWith409NamingThePath(t *testing.T) {
	s := newStore(t)
	path := "projects/local/global/networks/n1"
	if err := s.Insert("networks", Object{"name": "n1"}, path); err != nil {
		t.Fatal(err)
	}
	err := s.Insert("networks", Object{"name": "n1", "other": true}, path)
	if apiCode(err) != 409 {
		t.Fatalf("second insert: want 409, got %v", err)
	}
	want := "googleapi: Error 409: The resource 'projects/local/global/networks/n1' already exists, alreadyExists"
	if err.Error() != want {
		t.Fatalf("message:\n got %s\nwant %s", err, want)
	}
	obj, _ := s.Get("networks", "n1", path)
	if _, overwritten := obj["other"]; overwritten {
		t.Fatal("the refused insert changed the document")
	}
}

func TestOnlyOneOfManyConcurrentInsertsOfOneNameWins(t *testing.T) {
	s := newStore(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s.Insert("clusters", Object{"name": "c"}, "c") == nil {
				mu.Lock()
				won++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if won != 1 {
		t.Fatalf("%d inserts won, want 1", won)
	}
}

func TestGetOfAnAbsentObjectIs404AndDeleteOfOneIsNoError(t *testing.T) {
	s := newStore(t)
	if _, err := s.Get("instances", "gone", "projects/local/instances/gone"); !IsNotFound(err) {
		t.Fatalf("want 404, got %v", err)
	}
	if err := s.Delete("instances", "gone"); err != nil {
		t.Fatalf("delete of an absent object: %v", err)
	}
}

func TestAnObjectIsProvisioningUntilItsCreationTimeHasPassed(t *testing.T) {
	s := newStore(t)
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	obj := Object{"name": "c", "status": StatusProvisioning, "ready_at": now.Add(time.Minute).Format(time.RFC3339Nano), "ready_status": StatusStopped}
	if err := s.Insert("instances", obj, "c"); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get("instances", "c", "c")
	if got["status"] != StatusProvisioning {
		t.Fatalf("before ready_at: %v", got["status"])
	}
	now = now.Add(time.Minute)
	got, _ = s.Get("instances", "c", "c")
	if got["status"] != StatusStopped || got["ready_at"] != nil {
		t.Fatalf("after ready_at: %v", got)
	}
}

func TestListFindsObjectsOfEveryTypeByLabelsAndSkipsWhatIsNotADocument(t *testing.T) {
	s := newStore(t)
	a := map[string]any{"tenant": "a", "managed_by": "engine"}
	b := map[string]any{"tenant": "b", "managed_by": "engine"}
	for _, o := range []struct {
		coll string
		obj  Object
	}{
		{"networks", Object{"name": "a-vpc", "labels": a}},
		{"clusters", Object{"name": "a-gke", "labels": a}},
		{"clusters", Object{"name": "b-gke", "labels": b}},
	} {
		if err := s.Insert(o.coll, o.obj, o.coll); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(s.Dir, "clusters", "broken.json"), []byte("{"), 0o644)
	os.WriteFile(filepath.Join(s.Dir, FaultsFile), []byte("[]"), 0o644)

	found, err := s.List(map[string]string{"tenant": "a"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range found {
		names = append(names, o["collection"].(string)+"/"+o["name"].(string))
	}
	if len(names) != 2 || names[0] != "clusters/a-gke" || names[1] != "networks/a-vpc" {
		t.Fatalf("found %v", names)
	}
	all, _ := s.List(map[string]string{"managed_by": "engine"})
	if len(all) != 3 {
		t.Fatalf("by managed_by: %d objects", len(all))
	}
}

func TestConfiguredFaultsFailEachObjectsCallCountTimesThenLetItThrough(t *testing.T) {
	s := newStore(t)
	faults := []Fault{{Resource: "localcloud_cluster", Call: "create", Code: 503, Count: 2}}
	for i := 0; i < 2; i++ {
		if err := s.Inject("localcloud_cluster", "create", "c1", "p", faults); apiCode(err) != 503 {
			t.Fatalf("call %d: want 503, got %v", i, err)
		}
	}
	if err := s.Inject("localcloud_cluster", "create", "c1", "p", faults); err != nil {
		t.Fatalf("third call: %v", err)
	}
	// Counted per object: another object fails its own two times.
	if err := s.Inject("localcloud_cluster", "create", "c2", "p", faults); apiCode(err) != 503 {
		t.Fatalf("other object: %v", err)
	}
	// Other calls and types are not touched.
	if err := s.Inject("localcloud_cluster", "delete", "c1", "p", faults); err != nil {
		t.Fatal(err)
	}
	if err := s.Inject("localcloud_network", "create", "c1", "p", faults); err != nil {
		t.Fatal(err)
	}
}

func TestAFaultWithANegativeCountFailsEveryCall(t *testing.T) {
	s := newStore(t)
	faults := []Fault{{Resource: "localcloud_database_instance", Call: "create", Code: 400, Count: -1}}
	for i := 0; i < 3; i++ {
		if err := s.Inject("localcloud_database_instance", "create", "d", "p", faults); apiCode(err) != 400 {
			t.Fatalf("call %d: %v", i, err)
		}
	}
}

func TestTheFaultsFileIsCountedDownAcrossCallsAndObjects(t *testing.T) {
	s := newStore(t)
	os.MkdirAll(s.Dir, 0o755)
	file := filepath.Join(s.Dir, FaultsFile)
	os.WriteFile(file, []byte(`[{"resource":"localcloud_network","call":"read","code":429,"count":2},{"code":403,"reason":"quotaExceeded","call":"create","count":1}]`), 0o644)

	if err := s.Inject("localcloud_network", "read", "a", "p", nil); apiCode(err) != 429 {
		t.Fatal(err)
	}
	if err := s.Inject("localcloud_network", "read", "b", "p", nil); apiCode(err) != 429 {
		t.Fatal(err)
	}
	if err := s.Inject("localcloud_network", "read", "c", "p", nil); err != nil {
		t.Fatalf("count spent: %v", err)
	}
	err := s.Inject("localcloud_cluster", "create", "x", "p", nil)
	if apiCode(err) != 403 || err.Error() != "googleapi: Error 403: Quota 'CPUS' exceeded. Limit: 0.0 in region local (injected fault), quotaExceeded" {
		t.Fatalf("quota: %v", err)
	}
	var left []Fault
	data, _ := os.ReadFile(file)
	json.Unmarshal(data, &left)
	if left[0].Count != 0 || left[1].Count != 0 {
		t.Fatalf("left: %+v", left)
	}
}

func TestInjectedErrorsAreWordedLikeGoogleApiErrors(t *testing.T) {
	cases := map[int]string{
		503: "googleapi: Error 503: The service is currently unavailable (injected fault), backendError",
		429: "googleapi: Error 429: Rate limit exceeded for quota metric 'Write requests' (injected fault), rateLimitExceeded",
		400: "googleapi: Error 400: The request for 'p' was refused (injected fault), badRequest",
		403: "googleapi: Error 403: Permission denied on resource 'p' (injected fault), forbidden",
	}
	for code, want := range cases {
		if got := Injected(code, "", "p").Error(); got != want {
			t.Errorf("%d:\n got %s\nwant %s", code, got, want)
		}
	}
}
