package main

// The mutation generator: single-field variants of real base objects, drawn per field type,
// deterministic for a seed. Each variant is one file, so that each finding and verdict is
// about exactly one change.

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

// The kinds mutated: the stateful workload and what it links to.
var mutatedKinds = map[string]bool{
	"StatefulSet": true, "Service": true, "PersistentVolumeClaim": true,
	"PodDisruptionBudget": true, "Deployment": true, "Pod": true,
}

type field struct {
	path  []any // string keys and int indexes
	value any
}

// A variant: the file written, and what was changed.
type variant struct {
	File   string
	Base   string
	Field  string
	Change string
	base   *object
}

var quantityLike = regexp.MustCompile(`^[0-9.]+[A-Za-z]*$`)

// mutate writes `count` variants of the objects in `bases` under dir; it returns them in order.
func mutate(bases []*object, count int, seed uint64, dir string) ([]variant, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	type base struct {
		object *object
		fields []field
		tree   map[string]any
	}
	var pool []base
	for _, o := range bases {
		if !mutatedKinds[o.Kind] || o.Verdict == "rejected" {
			continue
		}
		var tree map[string]any
		if err := yaml.Unmarshal(o.raw, &tree); err != nil {
			continue
		}
		var fields []field
		walk(tree, nil, &fields)
		pool = append(pool, base{o, fields, tree})
	}
	if len(pool) == 0 {
		return nil, fmt.Errorf("no base objects to mutate")
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var variants []variant
	for i := 0; i < count; i++ {
		b := pool[rng.IntN(len(pool))]
		f := b.fields[rng.IntN(len(b.fields))]
		change, value, remove := pick(rng, b.object.Kind, f)
		tree := deepCopy(b.tree).(map[string]any)
		set(tree, f.path, value, remove)
		data, err := yaml.Marshal(tree)
		if err != nil {
			continue
		}
		name := filepath.Join(dir, fmt.Sprintf("%05d.yaml", i))
		if err := os.WriteFile(name, data, 0o644); err != nil {
			return nil, err
		}
		variants = append(variants, variant{
			File:   name,
			Base:   fmt.Sprintf("%s #%d %s %s", b.object.File, b.object.Index, b.object.Kind, b.object.Name),
			Field:  render(f.path),
			Change: change,
			base:   b.object,
		})
	}
	return variants, nil
}

// walk lists every field below `node`: maps, lists and scalars (the root excepted).
func walk(node any, path []any, out *[]field) {
	if len(path) > 0 {
		*out = append(*out, field{append([]any(nil), path...), node})
	}
	switch n := node.(type) {
	case map[string]any:
		keys := make([]string, 0, len(n))
		for k := range n {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			// Status and server-set metadata are not what users write.
			if len(path) == 0 && k == "status" {
				continue
			}
			walk(n[k], append(path, k), out)
		}
	case []any:
		for i, item := range n {
			walk(item, append(path, i), out)
		}
	}
}

// pick draws a change for the field's type: its description, the new value, or removal.
func pick(rng *rand.Rand, kind string, f field) (string, any, bool) {
	last := f.path[len(f.path)-1]
	key, _ := last.(string)
	choices := []func() (string, any, bool){
		func() (string, any, bool) { return "removed", nil, true },
		func() (string, any, bool) { return "null", nil, false },
	}
	switch v := f.value.(type) {
	case string:
		choices = append(choices,
			func() (string, any, bool) { return "empty string", "", false },
			func() (string, any, bool) { return "upper case", strings.ToUpper(v), false },
			func() (string, any, bool) { return "lower case", strings.ToLower(v), false },
			func() (string, any, bool) {
				return "too long", strings.Repeat("a", 64) + v + strings.Repeat("b", 200), false
			},
			func() (string, any, bool) { return "with dots", "a." + v + "..b", false },
			func() (string, any, bool) { return "typo", typo(rng, v), false },
			func() (string, any, bool) { return "unknown value", "Unknown" + v, false },
			func() (string, any, bool) { return "a number", 42, false },
		)
		if quantityLike.MatchString(v) {
			for _, q := range []string{"1Gb", "-1Gi", "1.5Mi", "1e3", "10 Gi", "0", "1G", "1000m", "Ki"} {
				q := q
				choices = append(choices, func() (string, any, bool) { return "quantity " + q, q, false })
			}
		}
	case float64:
		choices = append(choices,
			func() (string, any, bool) { return "negative", -1 - v, false },
			func() (string, any, bool) { return "zero", 0, false },
			func() (string, any, bool) { return "huge", 1 << 40, false },
			func() (string, any, bool) { return "as a string", fmt.Sprint(v), false },
			func() (string, any, bool) { return "fraction", v + 0.5, false },
			func() (string, any, bool) { return "65536", 65536, false },
		)
	case bool:
		choices = append(choices,
			func() (string, any, bool) { return "as a string", fmt.Sprint(v), false },
			func() (string, any, bool) { return "negated", !v, false },
		)
	case map[string]any:
		choices = append(choices,
			func() (string, any, bool) { return "empty mapping", map[string]any{}, false },
			func() (string, any, bool) { return "a string", "x", false },
			func() (string, any, bool) {
				c := deepCopy(v).(map[string]any)
				c["unknownField"] = "x"
				return "unknown field", c, false
			},
		)
	case []any:
		choices = append(choices,
			func() (string, any, bool) { return "empty list", []any{}, false },
			func() (string, any, bool) { return "a mapping", map[string]any{"a": "b"}, false },
		)
		if len(v) > 0 {
			choices = append(choices, func() (string, any, bool) {
				return "first item twice", append(deepCopy(v).([]any), deepCopy(v[0])), false
			})
		}
	}
	// Fields whose meaning depends on a Service's type.
	if kind == "Service" && key == "type" {
		for _, t := range []string{"ClusterIP", "NodePort", "LoadBalancer", "ExternalName"} {
			t := t
			choices = append(choices, func() (string, any, bool) { return "type " + t, t, false })
		}
	}
	if kind == "Service" && key == "clusterIP" {
		choices = append(choices, func() (string, any, bool) { return "headless", "None", false })
	}
	return choices[rng.IntN(len(choices))]()
}

func typo(rng *rand.Rand, s string) string {
	if len(s) < 2 {
		return s + "x"
	}
	b := []byte(s)
	i := rng.IntN(len(b) - 1)
	b[i], b[i+1] = b[i+1], b[i]
	if string(b) == s {
		return s + "x"
	}
	return string(b)
}

func set(tree map[string]any, path []any, value any, remove bool) {
	var parent any = tree
	for _, step := range path[:len(path)-1] {
		switch p := parent.(type) {
		case map[string]any:
			parent = p[step.(string)]
		case []any:
			parent = p[step.(int)]
		}
	}
	switch p := parent.(type) {
	case map[string]any:
		key := path[len(path)-1].(string)
		if remove {
			delete(p, key)
		} else {
			p[key] = value
		}
	case []any:
		index := path[len(path)-1].(int)
		if remove {
			// A list item removed: the list is written without it, in place.
			copy(p[index:], p[index+1:])
			p[len(p)-1] = nil
			set(tree, path[:len(path)-1], p[:len(p)-1], false)
		} else {
			p[index] = value
		}
	}
}

func deepCopy(v any) any {
	data, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(data, &out)
	return out
}

// render writes a path as the API server names fields: spec.containers[0].name.
func render(path []any) string {
	var b strings.Builder
	for _, step := range path {
		switch s := step.(type) {
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s)
		case int:
			fmt.Fprintf(&b, "[%d]", s)
		}
	}
	return b.String()
}
