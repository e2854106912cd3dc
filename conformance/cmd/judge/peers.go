package main

// The peers on the same work: kubeconform (JSON schemas, here made from this API server's own
// OpenAPI document, strict) and kube-score (its checks), run on the same files. Their agreement
// with the cluster's verdicts on create sits beside stslint's in the report, with their run
// times. A peer "says rejected" when it calls an object invalid (kubeconform) or gives it a
// CRITICAL grade (kube-score, whose checks are opinions: the comparison shows what a user gets
// by reading them as a gate).

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

type peerResult struct {
	Name    string
	Version string
	Took    time.Duration
	Total   tally
	// Objects it says nothing about (a schema it has not, a kind it does not score).
	Unjudged int
	Error    string
}

type peerVerdicts map[string]bool // file + "\x00" + kind + "\x00" + name -> says rejected

func peerKey(file, kind, name string) string { return file + "\x00" + kind + "\x00" + name }

// runPeers runs each peer found beside the judge on files and compares with the verdicts.
func runPeers(config *rest.Config, binDir, work string, files []string, objects []*object, rules map[string]rule, stslintTook time.Duration) ([]*peerResult, error) {
	// stslint on the same objects, for the row beside them.
	self := &peerResult{Name: "stslint", Version: "(this build)", Took: stslintTook}
	for _, o := range objects {
		if o.Verdict == "unserved" || o.gvk.Empty() {
			continue
		}
		claimed := false
		for _, f := range o.Findings {
			claimed = claimed || (f.claim(rules) == "apply-rejected" && f.Severity == "error")
		}
		self.Total.add(o.Verdict == "rejected", claimed)
	}
	out := []*peerResult{self}
	schemas := filepath.Join(work, "schemas")
	if err := writeSchemas(config, schemas); err != nil {
		return nil, err
	}
	peers := []struct {
		name, version string
		run           func(bin string) (peerVerdicts, error)
	}{
		{"kubeconform", "v0.8.0 (strict, schemas from this API server's /openapi/v2)", func(bin string) (peerVerdicts, error) {
			return kubeconform(bin, schemas, files)
		}},
		{"kube-score", "v1.20.0 (a CRITICAL grade read as rejected: its checks are advice)", func(bin string) (peerVerdicts, error) {
			return kubeScore(bin, files)
		}},
	}
	for _, p := range peers {
		bin := filepath.Join(binDir, p.name)
		r := &peerResult{Name: p.name, Version: p.version}
		out = append(out, r)
		if _, err := os.Stat(bin); err != nil {
			r.Error = "not built (conformance/build.sh)"
			continue
		}
		started := time.Now()
		verdicts, err := p.run(bin)
		r.Took = time.Since(started)
		if err != nil {
			r.Error = err.Error()
			continue
		}
		for _, o := range objects {
			if o.Verdict == "unserved" || o.gvk.Empty() {
				continue
			}
			says, ok := verdicts[peerKey(o.File, o.Kind, o.Name)]
			if !ok {
				r.Unjudged++
			}
			r.Total.add(o.Verdict == "rejected", says)
		}
	}
	return out, nil
}

// writeSchemas turns the API server's OpenAPI v2 document into kubeconform's layout: one
// `<kind>-<group>-<version>.json` per kind referring to `_definitions.json`, strict (no
// property a definition does not list), with int-or-string and quantities as the API server
// reads them and `null` allowed where a field is optional.
func writeSchemas(config *rest.Config, dir string) error {
	clients, err := kubernetes.NewForConfig(config)
	if err != nil {
		return err
	}
	data, err := clients.Discovery().RESTClient().Get().AbsPath("/openapi/v2").SetHeader("Accept", "application/json").Do(context.Background()).Raw()
	if err != nil {
		return err
	}
	var doc struct {
		Definitions map[string]map[string]any `json:"definitions"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, def := range doc.Definitions {
		switch {
		case strings.HasSuffix(name, ".util.intstr.IntOrString"):
			doc.Definitions[name] = map[string]any{"oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "integer"}}}
		case strings.HasSuffix(name, ".api.resource.Quantity"):
			doc.Definitions[name] = map[string]any{"oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "number"}}}
		default:
			doc.Definitions[name] = schemaFor(def, true).(map[string]any)
		}
	}
	all, _ := json.Marshal(map[string]any{"definitions": doc.Definitions})
	if err := os.WriteFile(filepath.Join(dir, "_definitions.json"), all, 0o644); err != nil {
		return err
	}
	for _, def := range doc.Definitions {
		kinds, _ := def["x-kubernetes-group-version-kind"].([]any)
		for _, k := range kinds {
			gvk, _ := k.(map[string]any)
			group, _ := gvk["group"].(string)
			version, _ := gvk["version"].(string)
			kind, _ := gvk["kind"].(string)
			suffix := "-" + strings.ToLower(version)
			if group != "" {
				suffix = "-" + strings.ToLower(strings.Split(group, ".")[0]) + suffix
			}
			text, _ := json.Marshal(def)
			if err := os.WriteFile(filepath.Join(dir, strings.ToLower(kind)+suffix+".json"), text, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// schemaFor rewrites one OpenAPI schema as a JSON schema of kubeconform's layout.
func schemaFor(node any, root bool) any {
	switch v := node.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, value := range v {
			switch k {
			case "$ref":
				ref, _ := value.(string)
				out[k] = "_definitions.json" + ref
			case "properties":
				props := map[string]any{}
				for name, p := range value.(map[string]any) {
					props[name] = schemaFor(p, false)
				}
				out[k] = props
			default:
				out[k] = schemaFor(value, false)
			}
		}
		if _, ok := v["properties"]; ok {
			if _, set := v["additionalProperties"]; !set {
				out["additionalProperties"] = false
			}
		}
		if t, ok := v["type"].(string); ok && !root {
			out["type"] = []any{t, "null"}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, item := range v {
			out[i] = schemaFor(item, false)
		}
		return out
	default:
		return v
	}
}

func kubeconform(bin, schemas string, files []string) (peerVerdicts, error) {
	args := []string{"-strict", "-verbose", "-output", "json", "-ignore-missing-schemas",
		"-schema-location", filepath.Join(schemas, "{{ .ResourceKind }}{{ .KindSuffix }}.json")}
	out, err := exec.Command(bin, append(args, files...)...).Output()
	if err != nil && len(out) == 0 {
		return nil, fmt.Errorf("kubeconform: %w", err)
	}
	var report struct {
		Resources []struct {
			Filename, Kind, Name, Status string
		} `json:"resources"`
	}
	if err := json.Unmarshal(out, &report); err != nil {
		return nil, fmt.Errorf("kubeconform output: %w", err)
	}
	verdicts := peerVerdicts{}
	for _, r := range report.Resources {
		if r.Status == "statusSkipped" {
			continue
		}
		key := peerKey(r.Filename, r.Kind, r.Name)
		verdicts[key] = verdicts[key] || r.Status == "statusInvalid" || r.Status == "statusError"
	}
	return verdicts, nil
}

// kubeScore scores each file alone (its report names objects by the `# Source:` comment, not by
// the file), a few at a time; a file it cannot read says nothing.
func kubeScore(bin string, files []string) (peerVerdicts, error) {
	verdicts := peerVerdicts{}
	var mu sync.Mutex
	err := parallel(len(files), 4, func(i int) error {
		file := files[i]
		cmd := exec.Command(bin, "score", "-o", "json", file)
		var stdout bytes.Buffer
		cmd.Stdout = &stdout
		_ = cmd.Run() // exit 1 when something is CRITICAL
		var report []struct {
			TypeMeta struct {
				Kind string `json:"kind"`
			} `json:"type_meta"`
			ObjectMeta struct {
				Name string `json:"name"`
			} `json:"object_meta"`
			Checks []struct {
				Grade   int  `json:"grade"`
				Skipped bool `json:"skipped"`
			} `json:"checks"`
		}
		if json.Unmarshal(stdout.Bytes(), &report) != nil {
			return nil
		}
		mu.Lock()
		for _, o := range report {
			critical := false
			for _, c := range o.Checks {
				critical = critical || (!c.Skipped && c.Grade == 1)
			}
			key := peerKey(file, o.TypeMeta.Kind, o.ObjectMeta.Name)
			verdicts[key] = verdicts[key] || critical
		}
		mu.Unlock()
		return nil
	})
	return verdicts, err
}

func peersMarkdown(b *strings.Builder, peers []*peerResult) {
	if len(peers) == 0 {
		return
	}
	b.WriteString("## Peers on the same objects\n\n")
	b.WriteString("The same files given to each tool (the objects of served kinds); its verdict on each object compared with the API server's on create. Polaris is not served by the Go module proxy. Run times are for all the files (kube-score file by file, four at a time: its report names objects by their `# Source:` comment). kubeconform's schemas are made from this API server's OpenAPI v2 document the way openapi2jsonschema makes the published ones: strict (no property a definition does not list), int-or-string as string or integer, quantities as string or number, optional scalars nullable (so `null` for an object-valued field, which the API server reads as absent, is refused: part of kubeconform's \"only the tool\").\n\n")
	b.WriteString("| tool | both say rejected | only the cluster | only the tool | both silent | agreement | recall | objects it says nothing of | run time |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, p := range peers {
		if p.Error != "" {
			fmt.Fprintf(b, "| %s %s | | | | | | | | %s |\n", p.Name, p.Version, cell(p.Error, 200))
			continue
		}
		t := p.Total
		fmt.Fprintf(b, "| %s %s | %d | %d | %d | %d | %s | %s | %d | %.1f s |\n", p.Name, p.Version, t.Both, t.ClusterOnly, t.StslintOnly, t.Silent, percent(t.agreement()), percent(t.recall()), p.Unjudged, p.Took.Seconds())
	}
	b.WriteString("\n")
}
