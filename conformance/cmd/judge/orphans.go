package main

// What happens to the claims of a StatefulSet an upgrade removes: the previous version is
// created with every replica Ready and its claims bound, then deleted as Helm deletes what a
// release no longer holds (background propagation). Its claims are kept (`claims-orphaned`:
// the default `whenDeleted: Retain`) or deleted with it (`claims-deleted`: `whenDeleted:
// Delete`). The cases: the upgrade rules' examples that remove a StatefulSet, and StatefulSets
// of the bases removed with each retention policy.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/yaml"
)

// A StatefulSet removed by an upgrade.
type removal struct {
	Previous *object
	Current  string // the new version's file (without the StatefulSet)
	Claims   []string
	// orphaned (the claims stayed), deleted (they went with it), or undetermined: why.
	Verdict  string
	Findings []finding
}

// removals gathers the cases: each StatefulSet with claim templates of the upgrade rules'
// previous versions that the new version drops, and `count` bases removed, half with
// `whenDeleted: Delete`.
func removals(work string, rules map[string]rule, bases []*object, count int) ([]*removal, error) {
	dir := filepath.Join(work, "removals")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var out []*removal
	add := func(previous *object, current string) {
		shape, ok := shapeOf(previous)
		if !ok || *shape.Spec.Replicas > 5 {
			return
		}
		r := &removal{Previous: previous, Current: current}
		for ordinal := 0; ordinal < *shape.Spec.Replicas; ordinal++ {
			for _, t := range shape.Spec.Templates {
				r.Claims = append(r.Claims, fmt.Sprintf("%s-%s-%d", t.Metadata.Name, shape.Metadata.Name, ordinal))
			}
		}
		out = append(out, r)
	}
	for id, r := range rules {
		if r.Previous == nil || r.Invalid == nil {
			continue
		}
		previous := filepath.Join(work, "rule-upgrades", id, "previous.yaml")
		current := filepath.Join(work, "rule-upgrades", id, "invalid.yaml")
		before, _ := split([]string{previous})
		after, _ := split([]string{current})
		for _, o := range before {
			if o.Kind != "StatefulSet" {
				continue
			}
			gone := true
			for _, n := range after {
				if n.Kind == o.Kind && n.Name == o.Name {
					gone = false
				}
			}
			if gone {
				add(o, current)
			}
		}
	}
	placeholder := filepath.Join(dir, "current.yaml")
	if err := os.WriteFile(placeholder, []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: placeholder\n"), 0o644); err != nil {
		return nil, err
	}
	made := 0
	for _, b := range bases {
		if made >= count {
			break
		}
		if b.Kind != "StatefulSet" || b.Verdict != "accepted" || b.Variant != nil {
			continue
		}
		if _, ok := shapeOf(b); !ok {
			continue
		}
		for _, policy := range []string{"Retain", "Delete"} {
			var tree map[string]any
			if err := yaml.Unmarshal(b.raw, &tree); err != nil {
				continue
			}
			spec, _ := tree["spec"].(map[string]any)
			spec["replicas"] = 1
			spec["podManagementPolicy"] = "Parallel"
			spec["persistentVolumeClaimRetentionPolicy"] = map[string]any{"whenDeleted": policy, "whenScaled": "Retain"}
			// Alone in its namespace: what ties the pods to other objects of the chart
			// (a service account, a node) is left out, so that they run.
			if template, _ := spec["template"].(map[string]any); template != nil {
				if podSpec, _ := template["spec"].(map[string]any); podSpec != nil {
					for _, key := range []string{"serviceAccountName", "serviceAccount", "nodeSelector", "affinity", "priorityClassName"} {
						delete(podSpec, key)
					}
				}
			}
			if meta, _ := tree["metadata"].(map[string]any); meta != nil {
				delete(meta, "annotations")
				delete(meta, "namespace")
			}
			data, _ := yaml.Marshal(tree)
			path := filepath.Join(dir, fmt.Sprintf("%02d-%s.yaml", made, strings.ToLower(policy)))
			if err := os.WriteFile(path, data, 0o644); err != nil {
				return nil, err
			}
			list, _ := split([]string{path})
			if len(list) == 1 {
				list[0].Verdict = "accepted"
				add(list[0], placeholder)
			}
		}
		made++
	}
	return out, nil
}

// lintRemovals runs stslint on each case, the previous version given with `--previous`.
func lintRemovals(stslint string, cases []*removal) error {
	return parallel(len(cases), 2, func(i int) error {
		r := cases[i]
		findings, err := runStslint(stslint, []string{"--previous", r.Previous.File, r.Current})
		if err != nil {
			return err
		}
		for _, f := range findings {
			if f.File == r.Previous.File && f.Object != nil && f.Object.Kind == "StatefulSet" && f.Object.Name == r.Previous.Name {
				r.Findings = append(r.Findings, f)
			}
		}
		return nil
	})
}

func runRemovals(config *rest.Config, cases []*removal, workers int) error {
	clients, err := kubernetes.NewForConfig(config)
	if err != nil {
		return err
	}
	return parallel(len(cases), workers, func(i int) error {
		cases[i].Verdict = playRemoval(clients, fmt.Sprintf("removal-%04d", i), cases[i])
		return nil
	})
}

func playRemoval(clients *kubernetes.Clientset, ns string, r *removal) string {
	ctx := context.Background()
	remove, err := freshNamespace(ctx, clients, ns)
	if err != nil {
		return "undetermined: " + err.Error()
	}
	defer remove()
	var tree map[string]any
	if err := yaml.Unmarshal(r.Previous.raw, &tree); err != nil {
		return "undetermined: " + err.Error()
	}
	meta, _ := tree["metadata"].(map[string]any)
	meta["namespace"] = ns
	data, _ := json.Marshal(tree)
	if err := clients.CoreV1().RESTClient().Post().AbsPath("/apis/apps/v1/namespaces/"+ns+"/statefulsets").
		SetHeader("Content-Type", "application/json").Body(data).Do(ctx).Error(); err != nil {
		return "undetermined: the StatefulSet was not created: " + err.Error()
	}
	exists := func(claim string) bool {
		pvc, err := clients.CoreV1().PersistentVolumeClaims(ns).Get(ctx, claim, metav1.GetOptions{})
		return err == nil && pvc.DeletionTimestamp == nil
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		sts, err := clients.AppsV1().StatefulSets(ns).Get(ctx, r.Previous.Name, metav1.GetOptions{})
		ready := err == nil && sts.Spec.Replicas != nil && sts.Status.ReadyReplicas == *sts.Spec.Replicas
		all := true
		for _, c := range r.Claims {
			all = all && exists(c)
		}
		if ready && all {
			break
		}
		if time.Now().After(deadline) {
			return "undetermined: the replicas were not all Ready with their claims within 60 s"
		}
		time.Sleep(500 * time.Millisecond)
	}
	background := metav1.DeletePropagationBackground
	if err := clients.AppsV1().StatefulSets(ns).Delete(ctx, r.Previous.Name, metav1.DeleteOptions{PropagationPolicy: &background}); err != nil {
		return "undetermined: " + err.Error()
	}
	// The garbage collector deletes claims the StatefulSet owns once it is gone.
	deadline = time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		gone := true
		for _, c := range r.Claims {
			gone = gone && !exists(c)
		}
		if gone {
			return "deleted"
		}
		time.Sleep(time.Second)
	}
	return "orphaned"
}

// The agreement on what a removal does to the claims.
type removalResult struct {
	Cases        int
	Orphaned     tally // the claims kept, against claims-orphaned findings
	Deleted      tally // the claims deleted, against claims-deleted findings
	Undetermined int
	Disagree     []*removal
	FalseClaims  []*removal
	all          []*removal
}

func (r *removal) verdicts() map[string]string {
	switch r.Verdict {
	case "orphaned":
		return map[string]string{"claims-orphaned": "broken", "claims-deleted": "fine"}
	case "deleted":
		return map[string]string{"claims-orphaned": "fine", "claims-deleted": "broken"}
	}
	return map[string]string{"claims-orphaned": "undetermined", "claims-deleted": "undetermined"}
}

func compareRemovals(cases []*removal, rules map[string]rule) *removalResult {
	res := &removalResult{all: cases}
	for _, r := range cases {
		res.Cases++
		if r.Verdict != "orphaned" && r.Verdict != "deleted" {
			res.Undetermined++
			continue
		}
		claims := map[string]bool{}
		for _, f := range r.Findings {
			claims[f.claim(rules)] = true
		}
		res.Orphaned.add(r.Verdict == "orphaned", claims["claims-orphaned"])
		res.Deleted.add(r.Verdict == "deleted", claims["claims-deleted"])
		wrong := claims["claims-orphaned"] && r.Verdict != "orphaned" || claims["claims-deleted"] && r.Verdict != "deleted"
		missed := !claims["claims-orphaned"] && r.Verdict == "orphaned" || !claims["claims-deleted"] && r.Verdict == "deleted"
		if wrong {
			res.FalseClaims = append(res.FalseClaims, r)
		} else if missed {
			res.Disagree = append(res.Disagree, r)
		}
	}
	return res
}

func removalRuleVerdicts(cases []*removal, rules map[string]rule, count func(f finding, file, verdict string)) {
	for _, r := range cases {
		// The new version's file names the rule example (`rule-upgrades/<id>/invalid.yaml`).
		countVerdicts(r.verdicts(), r.Findings, r.Current, rules, count)
	}
}

func (res *removalResult) markdown(b *strings.Builder) {
	b.WriteString("## Claims of a removed StatefulSet (`claims-orphaned`, `claims-deleted`)\n\n")
	b.WriteString("Each StatefulSet an upgrade removes (the upgrade rules' examples, and StatefulSets of the bases with `whenDeleted: Retain` and `Delete`), played for real: created with every replica Ready and its claims bound, then deleted as Helm deletes what a release no longer holds (background propagation), its claims watched for 30 s.\n\n")
	o, d := res.Orphaned, res.Deleted
	fmt.Fprintf(b, "%d removals (%d undetermined). Claims kept: both %d, only the cluster %d, only stslint %d, neither %d. Claims deleted: both %d, only the cluster %d, only stslint %d, neither %d.\n\n",
		res.Cases, res.Undetermined, o.Both, o.ClusterOnly, o.StslintOnly, o.Silent, d.Both, d.ClusterOnly, d.StslintOnly, d.Silent)
	var undetermined []*removal
	for _, r := range res.all {
		if r.Verdict != "orphaned" && r.Verdict != "deleted" {
			undetermined = append(undetermined, r)
		}
	}
	for _, part := range []struct {
		title string
		list  []*removal
	}{{"Missed: the cluster showed it, no finding claims it", res.Disagree}, {"False claims", res.FalseClaims}, {"Undetermined", undetermined}} {
		fmt.Fprintf(b, "### %s (%d)\n\n", part.title, len(part.list))
		for _, r := range part.list {
			fmt.Fprintf(b, "- `%s` StatefulSet `%s`: %s; %s\n", r.Previous.File, r.Previous.Name, r.Verdict, ruleList(r.Findings))
		}
		b.WriteString("\n")
	}
}
