package main

// Fields the API server drops: sent with a value, absent from the object the dry-run create
// returns (the object as it would be stored, defaults applied). Strict field validation already
// refuses unknown fields, so what is left is what the server clears by itself: fields of
// features that are off, sources it will not keep, status. A value the server rewrote (a
// quantity normalised, a default filled in) is no drop; neither is a zero value (`""`, `0`,
// `false`, `{}`, `[]`), which decodes as absent.

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

// Server-set metadata, status (never taken from a create) and a Secret's `stringData` (merged
// into `data`, by design write-only): not drops.
var notDropped = []string{"metadata.namespace", "metadata.creationTimestamp", "metadata.resourceVersion", "metadata.uid", "metadata.generation", "metadata.managedFields", "stringData"}

// dropped lists the paths of `sent` (YAML or JSON) that `stored` (JSON) lacks.
func dropped(sent, stored []byte) []string {
	var a, b any
	if yaml.Unmarshal(sent, &a) != nil || yaml.Unmarshal(stored, &b) != nil {
		return nil
	}
	var out []string
	missing(a, b, "", &out)
	sort.Strings(out)
	return out
}

func missing(sent, stored any, at string, out *[]string) {
	if at == "status" || slices.Contains(notDropped, at) || zero(sent) {
		return
	}
	switch s := sent.(type) {
	case map[string]any:
		m, ok := stored.(map[string]any)
		if !ok {
			*out = append(*out, at)
			return
		}
		for k, v := range s {
			path := k
			if at != "" {
				path = at + "." + k
			}
			w, present := m[k]
			if !present {
				if !zero(v) && !slices.Contains(notDropped, path) && path != "status" {
					*out = append(*out, path)
				}
				continue
			}
			missing(v, w, path, out)
		}
	case []any:
		l, ok := stored.([]any)
		if !ok {
			*out = append(*out, at)
			return
		}
		for i, v := range s {
			path := fmt.Sprintf("%s[%d]", at, i)
			if i >= len(l) {
				if !zero(v) {
					*out = append(*out, path)
				}
				continue
			}
			missing(v, l[i], path, out)
		}
	}
}

// zero says whether a value decodes as absent: null, "", 0, false, {} or [].
func zero(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case float64:
		return x == 0
	case bool:
		return !x
	case map[string]any:
		return len(x) == 0
	case []any:
		return len(x) == 0
	}
	return false
}

// droppedVerdict is what the cluster says of a finding claiming `field-dropped`: confirmed
// when the field it points at (or one holding it) was dropped, contradicted when the object
// was stored with it; undetermined where the drop happens later (a StatefulSet's claim
// templates are dropped from when its controller creates each claim).
func droppedVerdict(o *object, f finding) string {
	if o.Verdict != "accepted" || o.Kind == "StatefulSet" {
		return "undetermined"
	}
	for _, d := range o.Dropped {
		if f.Path == d || strings.HasPrefix(f.Path, d+".") {
			return "confirmed"
		}
	}
	return "contradicted"
}

// droppedResult is the agreement on `field-dropped`, object by object.
type droppedResult struct {
	Tally       tally
	Missed      []*object // fields dropped, no finding claims it
	FalseClaims []*object // a finding claims a drop the cluster did not make
	all         []*object
}

func compareDropped(objects []*object, rules map[string]rule) *droppedResult {
	r := &droppedResult{}
	for _, o := range objects {
		if o.Verdict != "accepted" {
			continue
		}
		r.all = append(r.all, o)
		claimed, wrong := false, false
		for _, f := range o.Findings {
			if f.claim(rules) != "field-dropped" {
				continue
			}
			switch droppedVerdict(o, f) {
			case "confirmed":
				claimed = true
			case "contradicted":
				wrong = true
			}
		}
		dropped := len(o.Dropped) > 0
		if wrong {
			r.FalseClaims = append(r.FalseClaims, o)
		}
		r.Tally.add(dropped, claimed || wrong)
		if dropped && !claimed {
			r.Missed = append(r.Missed, o)
		}
	}
	return r
}

// droppedRuleVerdicts counts the findings claiming `field-dropped` for the per-rule table.
func droppedRuleVerdicts(objects []*object, rules map[string]rule, count func(f finding, file, verdict string)) {
	for _, o := range objects {
		for _, f := range o.Findings {
			if f.claim(rules) == "field-dropped" {
				count(f, o.File, droppedVerdict(o, f))
			}
		}
	}
}

func (r *droppedResult) markdown(b *strings.Builder, rules map[string]rule) {
	b.WriteString("## Fields the API server drops (`field-dropped`)\n\n")
	t := r.Tally
	fmt.Fprintf(b, "Each accepted object's fields sent with a value that the dry-run create does not return (the object as it would be stored). Strict field validation refuses unknown fields, so these are what the server clears by itself, without an error. A StatefulSet's claim templates are dropped from only when its controller creates the claims: findings there are not judged here. Both say dropped %d, only the cluster %d, only stslint %d, both silent %d: agreement %s, recall %s.\n\n",
		t.Both, t.ClusterOnly, t.StslintOnly, t.Silent, percent(t.agreement()), percent(t.recall()))
	fmt.Fprintf(b, "False claims (a finding says a field is dropped that the object keeps): **%d**.\n\n", len(r.FalseClaims))
	b.WriteString("| object | dropped | stslint |\n|---|---|---|\n")
	n := 0
	for _, o := range r.all {
		if len(o.Dropped) == 0 && !slices.ContainsFunc(o.Findings, func(f finding) bool { return f.claim(rules) == "field-dropped" }) {
			continue
		}
		if n++; n > 100 {
			b.WriteString("\n…and more.\n")
			break
		}
		fmt.Fprintf(b, "| %s | %s | %s |\n", o.describe(), cell(strings.Join(o.Dropped, ", "), 300), cell(ruleList(o.Findings), 300))
	}
	b.WriteString("\n")
}
