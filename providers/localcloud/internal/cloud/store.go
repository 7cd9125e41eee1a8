// Package cloud is the simulated cloud: a directory of JSON documents, one per object
// (<dir>/<collection>/<name>.json), that tests can read and edit while tofu works on it. Every
// provider process of every tenant works on the same directory, so writes are atomic (a
// temporary file, then link or rename) and read-modify-write steps hold a lock file.
package cloud

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

// Object is one document: its attributes plus the cloud's own fields (name, self_link, labels,
// status, create_time, update_time, ready_at while it is being created).
type Object map[string]any

// Status values an object goes through.
const (
	StatusProvisioning = "PROVISIONING"
	StatusRunning      = "RUNNING"
	StatusStopped      = "STOPPED"
)

// Store reads and writes the documents under Dir.
type Store struct {
	Dir string
	Now func() time.Time
}

// NewStore is a store on dir with the wall clock.
func NewStore(dir string) *Store { return &Store{Dir: dir, Now: time.Now} }

func (s *Store) file(collection, name string) string {
	return filepath.Join(s.Dir, collection, name+".json")
}

// Get returns the object, its status brought up to date (an object whose creation has finished
// is no longer PROVISIONING), or a 404 APIError naming path.
func (s *Store) Get(collection, name, path string) (Object, error) {
	data, err := os.ReadFile(s.file(collection, name))
	if errors.Is(err, os.ErrNotExist) {
		return nil, NotFound(path)
	}
	if err != nil {
		return nil, err
	}
	var obj Object
	if err := json.Unmarshal(data, &obj); err != nil {
		return nil, fmt.Errorf("document of %s is not JSON: %w", path, err)
	}
	s.settle(obj)
	return obj, nil
}

// settle finishes a creation whose time has come: the object is then in its ready status.
func (s *Store) settle(obj Object) {
	if obj["status"] != StatusProvisioning {
		return
	}
	readyAt, _ := time.Parse(time.RFC3339Nano, str(obj["ready_at"]))
	if !s.Now().Before(readyAt) {
		obj["status"] = orDefault(str(obj["ready_status"]), StatusRunning)
		delete(obj, "ready_at")
		delete(obj, "ready_status")
	}
}

// Insert writes a new object; a name that is taken is a 409 naming path.
func (s *Store) Insert(collection string, obj Object, path string) error {
	name := str(obj["name"])
	tmp, err := s.writeTemp(collection, obj)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	// link(2) fails when the target exists: create-if-absent, atomic among every process.
	if err := os.Link(tmp, s.file(collection, name)); err != nil {
		if errors.Is(err, os.ErrExist) {
			return AlreadyExists(path)
		}
		return err
	}
	return nil
}

// Put replaces an object's document whole.
func (s *Store) Put(collection string, obj Object) error {
	tmp, err := s.writeTemp(collection, obj)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, s.file(collection, str(obj["name"]))); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// Delete removes an object; one that is not there is not an error.
func (s *Store) Delete(collection, name string) error {
	err := os.Remove(s.file(collection, name))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// List returns every object of every collection whose labels include all of want, sorted by
// collection and name, each with a "collection" field.
func (s *Store) List(want map[string]string) ([]Object, error) {
	collections, err := os.ReadDir(s.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var found []Object
	for _, c := range collections {
		if !c.IsDir() || strings.HasPrefix(c.Name(), ".") {
			continue
		}
		files, err := os.ReadDir(filepath.Join(s.Dir, c.Name()))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			name, ok := strings.CutSuffix(f.Name(), ".json")
			if !ok || strings.HasPrefix(f.Name(), ".") {
				continue
			}
			obj, err := s.Get(c.Name(), name, name)
			if err != nil {
				continue // removed meanwhile, or not a document
			}
			if !hasLabels(obj, want) {
				continue
			}
			obj["collection"] = c.Name()
			found = append(found, obj)
		}
	}
	sort.SliceStable(found, func(i, j int) bool {
		a, b := found[i], found[j]
		if a["collection"] != b["collection"] {
			return str(a["collection"]) < str(b["collection"])
		}
		return str(a["name"]) < str(b["name"])
	})
	return found, nil
}

// Labels returns an object's labels as strings.
func Labels(obj Object) map[string]string {
	out := map[string]string{}
	if m, ok := obj["labels"].(map[string]any); ok {
		for k, v := range m {
			out[k] = str(v)
		}
	}
	return out
}

func hasLabels(obj Object, want map[string]string) bool {
	have := Labels(obj)
	for k, v := range want {
		if got, ok := have[k]; !ok || got != v {
			return false
		}
	}
	return true
}

func (s *Store) writeTemp(collection string, obj Object) (string, error) {
	dir := filepath.Join(s.Dir, collection)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	data, err := json.MarshalIndent(obj, "", "  ")
	if err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return "", err
	}
	if _, err := f.Write(append(data, '\n')); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// locked runs fn holding the directory's lock file (flock), for read-modify-write steps that
// several provider processes may take at once.
func (s *Store) locked(fn func() error) error {
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(s.Dir, ".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		return err
	}
	defer syscall.Flock(int(f.Fd()), syscall.LOCK_UN) //nolint:errcheck
	return fn()
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
