package main

// What the StatefulSet controller does with the claims on an upgrade: each accepted update of
// a StatefulSet with claim templates that lowers its replicas is played for real. The previous
// version is created in a namespace of its own and its pods and claims made (kwok runs the
// pods, the box's provisioner binds the claims); then the new version replaces it, and the
// claims of the removed replicas are watched: deleted (the claim `claims-deleted`) or kept.

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/yaml"
)

// A scale-down played for real.
type claimsCase struct {
	Update *update
	// broken (the removed replicas' claims were deleted), fine (they are still there), or
	// undetermined: why.
	Verdict string
	Claims  []string // the claims of the removed replicas
}

type statefulSetShape struct {
	Metadata struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Spec struct {
		Replicas  *int `json:"replicas"`
		Templates []struct {
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
		} `json:"volumeClaimTemplates"`
	} `json:"spec"`
}

func shapeOf(o *object) (statefulSetShape, bool) {
	var s statefulSetShape
	if err := yaml.Unmarshal(o.raw, &s); err != nil || len(s.Spec.Templates) == 0 {
		return s, false
	}
	if s.Spec.Replicas == nil {
		one := 1
		s.Spec.Replicas = &one
	}
	return s, true
}

// claimCases picks the accepted updates that lower a StatefulSet's replicas.
func claimCases(upgrades []*update) []*claimsCase {
	var out []*claimsCase
	for _, u := range upgrades {
		if u.Current.Kind != "StatefulSet" || u.Verdict != "accepted" {
			continue
		}
		before, ok1 := shapeOf(u.Previous)
		after, ok2 := shapeOf(u.Current)
		if !ok1 || !ok2 || *after.Spec.Replicas >= *before.Spec.Replicas || *before.Spec.Replicas > 5 {
			continue
		}
		c := &claimsCase{Update: u}
		for ordinal := *after.Spec.Replicas; ordinal < *before.Spec.Replicas; ordinal++ {
			for _, t := range before.Spec.Templates {
				c.Claims = append(c.Claims, fmt.Sprintf("%s-%s-%d", t.Metadata.Name, before.Metadata.Name, ordinal))
			}
		}
		out = append(out, c)
	}
	return out
}

func runClaimCases(config *rest.Config, cases []*claimsCase, workers int) error {
	clients, err := kubernetes.NewForConfig(config)
	if err != nil {
		return err
	}
	return parallel(len(cases), workers, func(i int) error {
		c := cases[i]
		c.Verdict = playScaleDown(clients, fmt.Sprintf("claims-%04d", i), c)
		return nil
	})
}

// playScaleDown returns the verdict of one case.
func playScaleDown(clients *kubernetes.Clientset, ns string, c *claimsCase) string {
	ctx := context.Background()
	remove, err := freshNamespace(ctx, clients, ns)
	if err != nil {
		return "undetermined: " + err.Error()
	}
	defer remove()
	in := func(raw []byte) ([]byte, string, error) {
		var tree map[string]any
		if err := yaml.Unmarshal(raw, &tree); err != nil {
			return nil, "", err
		}
		meta, _ := tree["metadata"].(map[string]any)
		meta["namespace"] = ns
		delete(meta, "annotations")
		name, _ := meta["name"].(string)
		data, err := json.Marshal(tree)
		return data, name, err
	}
	previous, name, err := in(c.Update.Previous.raw)
	if err != nil {
		return "undetermined: " + err.Error()
	}
	path := "/apis/apps/v1/namespaces/" + ns + "/statefulsets"
	if err := clients.CoreV1().RESTClient().Post().AbsPath(path).
		SetHeader("Content-Type", "application/json").Body(previous).Do(ctx).Error(); err != nil {
		return "undetermined: the previous version was not created: " + err.Error()
	}
	// A claim being deleted (its protection finalizer not yet taken off) is gone too.
	exists := func(claim string) bool {
		pvc, err := clients.CoreV1().PersistentVolumeClaims(ns).Get(ctx, claim, metav1.GetOptions{})
		return err == nil && pvc.DeletionTimestamp == nil
	}
	allThere := func() bool {
		for _, claim := range c.Claims {
			if !exists(claim) {
				return false
			}
		}
		return true
	}
	// Every replica up (its claim made and the pod Ready) before the scale-down.
	deadline := time.Now().Add(60 * time.Second)
	for {
		sts, err := clients.AppsV1().StatefulSets(ns).Get(ctx, name, metav1.GetOptions{})
		if err == nil && allThere() && sts.Spec.Replicas != nil && sts.Status.ReadyReplicas == *sts.Spec.Replicas {
			break
		}
		if time.Now().After(deadline) {
			return "undetermined: the previous version's replicas were not all Ready within 60 s"
		}
		time.Sleep(500 * time.Millisecond)
	}
	current, _, err := in(c.Update.Current.raw)
	if err != nil {
		return "undetermined: " + err.Error()
	}
	// Replaced whole, as an upgrade sends it: the live object's version goes with it.
	live, err := clients.AppsV1().StatefulSets(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return "undetermined: " + err.Error()
	}
	var tree map[string]any
	_ = json.Unmarshal(current, &tree)
	tree["metadata"].(map[string]any)["resourceVersion"] = live.ResourceVersion
	current, _ = json.Marshal(tree)
	err = clients.CoreV1().RESTClient().Put().AbsPath(path+"/"+name).
		SetHeader("Content-Type", "application/json").Body(current).Do(ctx).Error()
	if err != nil {
		if apierrors.IsInvalid(err) || apierrors.IsForbidden(err) {
			return "undetermined: the new version was refused: " + err.Error()
		}
		return "undetermined: " + err.Error()
	}
	// The controller deletes the removed replicas' pods one by one, then the garbage collector
	// their claims when the policy makes the pod their owner.
	deadline = time.Now().Add(45 * time.Second)
	for time.Now().Before(deadline) {
		gone := true
		for _, claim := range c.Claims {
			if exists(claim) {
				gone = false
			}
		}
		if gone {
			return "broken"
		}
		time.Sleep(time.Second)
	}
	// Kept: the replicas are gone but not their claims?
	pods, err := clients.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err == nil {
		for _, p := range pods.Items {
			for _, claim := range c.Claims {
				if strings.HasSuffix(claim, "-"+strings.TrimPrefix(p.Name, name+"-")) && strings.HasPrefix(p.Name, name+"-") {
					return "undetermined: a removed replica's pod was still there after 45 s"
				}
			}
		}
	}
	return "fine"
}

// The agreement on `claims-deleted`.
type claimsResult struct {
	Cases        int
	Tally        tally
	Undetermined int
	Missed       []*claimsCase
	FalseClaims  []*claimsCase
}

func compareClaims(cases []*claimsCase, rules map[string]rule) *claimsResult {
	r := &claimsResult{}
	for _, c := range cases {
		r.Cases++
		if c.Verdict != "broken" && c.Verdict != "fine" {
			r.Undetermined++
			continue
		}
		claimed := false
		for _, f := range c.Update.Findings {
			if f.claim(rules) == "claims-deleted" {
				claimed = true
			}
		}
		broken := c.Verdict == "broken"
		r.Tally.add(broken, claimed)
		switch {
		case broken && !claimed:
			r.Missed = append(r.Missed, c)
		case claimed && !broken:
			r.FalseClaims = append(r.FalseClaims, c)
		}
	}
	return r
}

// claimsRuleVerdicts counts each claims-deleted finding against its case's verdict.
func claimsRuleVerdicts(cases []*claimsCase, rules map[string]rule, count func(f finding, file, verdict string)) {
	for _, c := range cases {
		verdicts := map[string]string{"claims-deleted": c.Verdict}
		if c.Verdict != "broken" && c.Verdict != "fine" {
			verdicts["claims-deleted"] = "undetermined"
		}
		countVerdicts(verdicts, c.Update.Findings, c.Update.Current.File, rules, count)
	}
}

func (r *claimsResult) markdown(b *strings.Builder) {
	b.WriteString("## Claims on a scale-down (`claims-deleted`)\n\n")
	b.WriteString("Each accepted update that lowers a StatefulSet's replicas, played for real: the previous version created and every replica Ready (kwok runs the pods, the box's provisioner binds the claims), then the new version applied and the removed replicas' claims watched for 45 s. Deleted (the API server has the claim's deletion; the box runs no pvc-protection controller to take its finalizer off) is what `persistentVolumeClaimRetentionPolicy.whenScaled: Delete` does; kept is the default. `claims-orphaned` (a StatefulSet removed, its claims kept) is not played yet.\n\n")
	t := r.Tally
	fmt.Fprintf(b, "%d scale-downs: both say deleted %d, only the cluster %d, only stslint %d, both say kept %d (agreement %s); undetermined %d.\n\n", r.Cases, t.Both, t.ClusterOnly, t.StslintOnly, t.Silent, percent(t.agreement()), r.Undetermined)
	for _, part := range []struct {
		title string
		list  []*claimsCase
	}{{"Claims deleted, no finding claims it", r.Missed}, {"False claims: a claims-deleted finding, the claims kept", r.FalseClaims}} {
		fmt.Fprintf(b, "### %s (%d)\n\n", part.title, len(part.list))
		for i, c := range part.list {
			if i == 20 {
				fmt.Fprintf(b, "- …and %d more\n", len(part.list)-20)
				break
			}
			fmt.Fprintf(b, "- %s: claims %s; %s\n", c.Update.Current.describe(), strings.Join(c.Claims, ", "), ruleList(c.Update.Findings))
		}
		b.WriteString("\n")
	}
}
