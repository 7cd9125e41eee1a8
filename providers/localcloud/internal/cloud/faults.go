package cloud

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// FaultsFile is where a test puts faults for every provider working on the directory.
const FaultsFile = "faults.json"

// Fault makes matching calls fail with an API error.
//
// In the faults file (<dir>/faults.json, a JSON array) Count is how many more matching calls
// fail, counted down as they do (negative: every call). In the provider configuration Count is
// how many times each object's matching call fails before it succeeds, counted per object in
// <dir>/.faults/ (so a retry in a new tofu process sees the earlier failures).
type Fault struct {
	// Resource is the resource type (localcloud_cluster); empty or "*" for every type.
	Resource string `json:"resource,omitempty"`
	// Call is create, read, update or delete; empty or "*" for every call.
	Call string `json:"call,omitempty"`
	// Name is the object's name; empty for every object.
	Name string `json:"name,omitempty"`
	// Code is the HTTP status: 400, 403, 429, 500, 503...; Reason "quotaExceeded" makes a quota error.
	Code   int    `json:"code"`
	Reason string `json:"reason,omitempty"`
	Count  int    `json:"count"`
}

func (f Fault) matches(resource, call, name string) bool {
	return (f.Resource == "" || f.Resource == "*" || f.Resource == resource) &&
		(f.Call == "" || f.Call == "*" || f.Call == call) &&
		(f.Name == "" || f.Name == name)
}

// Inject returns the error a fault makes this call fail with, or nil. configured are the
// provider configuration's faults (counted per object).
func (s *Store) Inject(resource, call, name, path string, configured []Fault) error {
	faultsFile := filepath.Join(s.Dir, FaultsFile)
	matching := false
	for _, f := range configured {
		matching = matching || f.matches(resource, call, name)
	}
	if _, err := os.Stat(faultsFile); !matching && errors.Is(err, os.ErrNotExist) {
		return nil // the common case: nothing to count, no lock taken
	}
	var injected error
	err := s.locked(func() error {
		for _, f := range configured {
			if !f.matches(resource, call, name) {
				continue
			}
			counter := filepath.Join(s.Dir, ".faults", strings.Join([]string{resource, call, strconv.Itoa(f.Code), f.Reason, name}, "."))
			seen := readCount(counter)
			if f.Count >= 0 && seen >= f.Count {
				continue
			}
			if err := os.MkdirAll(filepath.Dir(counter), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(counter, []byte(strconv.Itoa(seen+1)), 0o644); err != nil {
				return err
			}
			injected = Injected(f.Code, f.Reason, path)
			return nil
		}
		data, err := os.ReadFile(faultsFile)
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		var faults []Fault
		if err := json.Unmarshal(data, &faults); err != nil {
			return fmt.Errorf("%s is not a JSON array of faults: %w", faultsFile, err)
		}
		for i, f := range faults {
			if f.Count == 0 || !f.matches(resource, call, name) {
				continue
			}
			if f.Count > 0 {
				faults[i].Count--
				out, _ := json.MarshalIndent(faults, "", "  ")
				if err := writeAtomic(faultsFile, out); err != nil {
					return err
				}
			}
			injected = Injected(f.Code, f.Reason, path)
			return nil
		}
		return nil
	})
	if err != nil {
		return err
	}
	return injected
}

func readCount(file string) int {
	data, err := os.ReadFile(file)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(data)))
	return n
}

func writeAtomic(file string, data []byte) error {
	tmp := fmt.Sprintf("%s.%d.tmp", file, os.Getpid())
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, file)
}
