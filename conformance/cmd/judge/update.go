package main

// The update verdicts: for each pair of versions of one object, the previous version is applied
// for real in a namespace of its own and the new one is applied over it as a dry run (server-side
// apply, one field manager: what `kubectl apply --server-side` and Helm do to a live object). The pairs come
// from `--previous`, from every upgrade rule's examples (its `previous` against its invalid and
// valid versions) and from the mutations (each accepted mutant is a new version of its base).
// stslint checks each pair with `--previous`; its findings that claim `update-rejected` are
// compared with the verdicts in both directions.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	jsonpatch "gopkg.in/evanphx/json-patch.v4"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/strategicpatch"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"sigs.k8s.io/yaml"
)

// An update: one object's previous and new version, and what each judge said of it.
type update struct {
	// Where the pair comes from: "rule example", "--previous" or "mutation".
	Source   string
	Previous *object
	Current  *object
	// What stslint is given: `--previous PreviousPath CurrentPaths...`.
	PreviousPath string   `json:"-"`
	CurrentPaths []string `json:"-"`
	// Objects of the previous version's file created beside it (a StorageClass the claim names),
	// and those of the new version's file, applied before it (as an upgrade applies them).
	siblings, newSiblings []*object
	// The cluster's verdict on the dry-run update: accepted, rejected, or undetermined (why).
	Verdict string
	Message string   `json:",omitempty"`
	Fields  []string `json:",omitempty"`
	// The same upgrade as a server-side apply (Helm 4, `kubectl apply --server-side`).
	ServerSide        string
	ServerSideMessage string `json:",omitempty"`
	// stslint's findings on the new version, compared with the previous one.
	Findings []finding `json:",omitempty"`
}

// pairs matches each accepted object of `current` with the accepted object of `previous` of the
// same kind, namespace and name (Helm hooks left out: Helm recreates them rather than update).
func pairs(previous, current []*object, source, previousPath string, currentPaths []string) []*update {
	key := func(o *object) string { return o.gvk.GroupKind().String() + "/" + o.Namespace + "/" + o.Name }
	byKey := map[string]*object{}
	for _, o := range previous {
		if o.Verdict == "accepted" && !isHook(o) {
			byKey[key(o)] = o
		}
	}
	var out []*update
	for _, o := range current {
		p := byKey[key(o)]
		if p == nil || o.Verdict != "accepted" || isHook(o) {
			continue
		}
		u := &update{Source: source, Previous: p, Current: o, PreviousPath: previousPath, CurrentPaths: currentPaths}
		for _, s := range previous {
			if s.File == p.File && s != p && s.Verdict == "accepted" && !isHook(s) {
				u.siblings = append(u.siblings, s)
			}
		}
		for _, s := range current {
			if s.File == o.File && s != o && s.Verdict == "accepted" && !isHook(s) {
				u.newSiblings = append(u.newSiblings, s)
			}
		}
		out = append(out, u)
	}
	return out
}

func isHook(o *object) bool {
	var tree struct {
		Metadata struct {
			Annotations map[string]any `json:"annotations"`
		} `json:"metadata"`
	}
	_ = yaml.Unmarshal(o.raw, &tree)
	return tree.Metadata.Annotations["helm.sh/hook"] != nil
}

// ruleUpdates writes every upgrade rule's examples as files (rule-upgrades/<id>/previous.yaml,
// invalid.yaml, valid.yaml) and returns their objects, judged on create, and the pairs.
func ruleUpdates(config *rest.Config, work string, rules map[string]rule) ([]*object, []*update, error) {
	var all []*object
	var out []*update
	for _, id := range slices.Sorted(maps.Keys(rules)) {
		r := rules[id]
		if r.Previous == nil {
			continue
		}
		dir := filepath.Join(work, "rule-upgrades", id)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, nil, err
		}
		write := func(name string, text *string) (string, error) {
			if text == nil {
				return "", nil
			}
			path := filepath.Join(dir, name)
			return path, os.WriteFile(path, []byte(*text), 0o644)
		}
		previousPath, err := write("previous.yaml", r.Previous)
		if err != nil {
			return nil, nil, err
		}
		previous, _ := split([]string{previousPath})
		if err := judge(config, previous); err != nil {
			return nil, nil, err
		}
		all = append(all, previous...)
		for _, version := range []struct {
			name string
			text *string
		}{{"invalid.yaml", r.Invalid}, {"valid.yaml", r.Valid}} {
			path, err := write(version.name, version.text)
			if err != nil {
				return nil, nil, err
			}
			if path == "" {
				continue
			}
			current, _ := split([]string{path})
			if err := judge(config, current); err != nil {
				return nil, nil, err
			}
			all = append(all, current...)
			out = append(out, pairs(previous, current, "rule example", previousPath, []string{path})...)
		}
	}
	return all, out, nil
}

// mutationUpdates makes each accepted mutant of an accepted base a new version of it, unless
// the mutation renamed it (then it is another object, not an update). The base alone is written
// as the previous version, under dir.
func mutationUpdates(objects []*object, dir string) ([]*update, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	written := map[*object]string{}
	var out []*update
	for _, m := range objects {
		b := m.Variant.baseOf()
		if b == nil || m.Verdict != "accepted" || b.Verdict != "accepted" || isHook(b) || isHook(m) {
			continue
		}
		if m.gvk != b.gvk || m.Name != b.Name || m.Namespace != b.Namespace {
			continue
		}
		path, ok := written[b]
		if !ok {
			path = filepath.Join(dir, fmt.Sprintf("base-%04d.yaml", len(written)))
			if err := os.WriteFile(path, b.raw, 0o644); err != nil {
				return nil, err
			}
			written[b] = path
		}
		out = append(out, &update{Source: "mutation", Previous: b, Current: m, PreviousPath: path, CurrentPaths: []string{m.File}})
	}
	return out, nil
}

func (v *variant) baseOf() *object {
	if v == nil {
		return nil
	}
	return v.base
}

// judgeUpdates creates each previous version (with its siblings) in a namespace of its own and
// asks for the dry-run update of it: once for all the mutations of one base (they have no
// siblings), once per pair otherwise (each new version's siblings are applied first). Groups that create cluster-wide objects
// run one at a time, and remove them after.
func judgeUpdates(config *rest.Config, all []*update, workers int) error {
	clients, err := kubernetes.NewForConfig(config)
	if err != nil {
		return err
	}
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(discovery.NewDiscoveryClientForConfigOrDie(config)))
	var groups [][]*update
	index := map[any]int{}
	for _, u := range all {
		var key any = u
		if u.Source == "mutation" {
			key = u.Previous
		}
		i, ok := index[key]
		if !ok {
			i = len(groups)
			index[key] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], u)
	}
	var clusterWide sync.Mutex
	return parallel(len(groups), workers, func(i int) error {
		g := &updateGroup{clients: clients, mapper: mapper, ns: fmt.Sprintf("update-%04d", i), list: groups[i], clusterWide: &clusterWide}
		if err := g.run(); err != nil {
			return fmt.Errorf("%s (%s): %w", g.ns, groups[i][0].PreviousPath, err)
		}
		return nil
	})
}

type updateGroup struct {
	clients     *kubernetes.Clientset
	mapper      meta.RESTMapper
	ns          string
	list        []*update
	clusterWide *sync.Mutex
}

// path is the REST path of an object's collection, in the group's namespace when namespaced.
func (g *updateGroup) path(o *object) (string, bool, error) {
	mapping, err := g.mapper.RESTMapping(o.gvk.GroupKind(), o.gvk.Version)
	if err != nil {
		return "", false, err
	}
	namespaced := mapping.Scope.Name() == meta.RESTScopeNameNamespace
	ns := ""
	if namespaced {
		ns = g.ns
	}
	return collectionPath(mapping, ns), namespaced, nil
}

// body is an object's JSON with the group's namespace (for a namespaced object).
func (g *updateGroup) body(o *object, namespaced bool) ([]byte, error) {
	var tree map[string]any
	if err := yaml.Unmarshal(o.raw, &tree); err != nil {
		return nil, err
	}
	metadata, _ := tree["metadata"].(map[string]any)
	if metadata == nil {
		return nil, errors.New("no metadata")
	}
	if namespaced {
		metadata["namespace"] = g.ns
	}
	return json.Marshal(tree)
}

func (g *updateGroup) run() error {
	ctx := context.Background()
	previous := g.list[0].Previous
	creates := append([]*object{previous}, g.list[0].siblings...)
	var clusterWide []string // created, to remove after
	for _, o := range append(slices.Clone(creates), g.list[0].newSiblings...) {
		if _, namespaced, err := g.path(o); err == nil && !namespaced {
			g.clusterWide.Lock()
			defer g.clusterWide.Unlock()
			break
		}
	}
	body := fmt.Sprintf(`{"apiVersion":"v1","kind":"Namespace","metadata":{"name":%q}}`, g.ns)
	if err := g.clients.CoreV1().RESTClient().Post().AbsPath("/api/v1/namespaces").
		SetHeader("Content-Type", "application/json").Body([]byte(body)).Do(ctx).Error(); err != nil {
		return err
	}
	defer func() {
		_ = g.clients.CoreV1().Namespaces().Delete(ctx, g.ns, metav1.DeleteOptions{})
		for _, path := range clusterWide {
			_ = g.clients.CoreV1().RESTClient().Delete().AbsPath(path).Do(ctx).Error()
		}
	}()
	sa := `{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"default"}}`
	if err := g.clients.CoreV1().RESTClient().Post().AbsPath("/api/v1/namespaces/"+g.ns+"/serviceaccounts").
		SetHeader("Content-Type", "application/json").Body([]byte(sa)).Do(ctx).Error(); err != nil && !apierrors.IsAlreadyExists(err) {
		return err
	}
	// The siblings first (what the previous version names), then the previous version itself.
	for i := len(creates) - 1; i >= 0; i-- {
		o := creates[i]
		path, namespaced, err := g.path(o)
		if err != nil {
			continue
		}
		data, err := g.body(o, namespaced)
		if err != nil {
			continue
		}
		if o == previous {
			err = g.apply(ctx, path+"/"+o.Name, data, false)
		} else {
			err = g.clients.CoreV1().RESTClient().Post().AbsPath(path).
				SetHeader("Content-Type", "application/json").Body(data).Do(ctx).Error()
		}
		if o == previous && err != nil {
			for _, u := range g.list {
				u.Verdict = "undetermined: the previous version could not be created: " + err.Error()
			}
			return nil
		}
		if err == nil && !namespaced {
			clusterWide = append(clusterWide, path+"/"+o.Name)
		}
	}
	path, namespaced, _ := g.path(previous)
	// A claim's storage request may grow only once it is bound: wait for the provisioner and
	// the binder, as a user's claim would be bound by the time it is upgraded.
	if previous.Kind == "PersistentVolumeClaim" {
		waitBound(ctx, g.clients, g.ns, previous.Name)
	}
	for _, u := range g.list {
		for _, o := range u.newSiblings {
			siblingPath, siblingNamespaced, err := g.path(o)
			if err != nil {
				continue
			}
			if data, err := g.body(o, siblingNamespaced); err == nil {
				if g.apply(ctx, siblingPath+"/"+o.Name, data, false) == nil && !siblingNamespaced {
					clusterWide = append(clusterWide, siblingPath+"/"+o.Name)
				}
			}
		}
		data, err := g.body(u.Current, namespaced)
		if err != nil {
			u.Verdict = "undetermined: " + err.Error()
			continue
		}
		old, _ := g.body(previous, namespaced)
		u.Verdict, u.Message, u.Fields = verdict(g.helm3(ctx, path+"/"+previous.Name, previous, old, data))
		u.ServerSide, u.ServerSideMessage, _ = verdict(g.apply(ctx, path+"/"+previous.Name, data, true))
	}
	return nil
}

// apply is a server-side apply of the object's manifest, by one field manager for both versions
// (as `kubectl apply --server-side` and Helm 4 upgrade; Helm 3's three-way merge ends the same):
// a field the previous manifest set and the new one leaves out is removed, while what the
// server and the controllers set (a bound claim's volumeName, a Job's generated selector) stays.
func (g *updateGroup) apply(ctx context.Context, path string, data []byte, dryRun bool) error {
	request := g.clients.CoreV1().RESTClient().Patch(types.ApplyPatchType).AbsPath(path).
		Param("fieldManager", "stslint-judge").Param("force", "true").Param("fieldValidation", "Strict")
	if dryRun {
		request = request.Param("dryRun", "All")
	}
	return request.Body(data).Do(ctx).Error()
}

// helm3 is the upgrade as Helm 3 (and a client-side `kubectl apply`) sends it: a three-way
// strategic merge patch from the previous manifest, the new one and the live object (a JSON
// merge patch for kinds without Go types), each manifest decoded into its Go type first.
func (g *updateGroup) helm3(ctx context.Context, path string, o *object, oldData, newData []byte) error {
	live, err := g.clients.CoreV1().RESTClient().Get().AbsPath(path).Do(ctx).Raw()
	if err != nil {
		return err
	}
	typed, err := scheme.Scheme.New(o.gvk)
	if err != nil {
		patch, err := jsonpatch.CreateMergePatch(oldData, newData)
		if err != nil {
			return err
		}
		return g.patch(ctx, path, types.MergePatchType, patch)
	}
	retyped := func(data []byte) ([]byte, error) {
		into, _ := scheme.Scheme.New(o.gvk)
		if err := json.Unmarshal(data, into); err != nil {
			return nil, err
		}
		return json.Marshal(into)
	}
	if oldData, err = retyped(oldData); err != nil {
		return err
	}
	if newData, err = retyped(newData); err != nil {
		return err
	}
	meta, err := strategicpatch.NewPatchMetaFromStruct(typed)
	if err != nil {
		return err
	}
	patch, err := strategicpatch.CreateThreeWayMergePatch(oldData, newData, live, meta, true)
	if err != nil {
		return err
	}
	return g.patch(ctx, path, types.StrategicMergePatchType, patch)
}

func (g *updateGroup) patch(ctx context.Context, path string, kind types.PatchType, patch []byte) error {
	return g.clients.CoreV1().RESTClient().Patch(kind).AbsPath(path).
		Param("dryRun", "All").Param("fieldValidation", "Strict").Body(patch).Do(ctx).Error()
}

// verdict reads an update's outcome: accepted, rejected (with the message and the fields its
// causes name), or undetermined when it lost a write race.
func verdict(err error) (string, string, []string) {
	if err == nil {
		return "accepted", "", nil
	}
	var status apierrors.APIStatus
	if !errors.As(err, &status) {
		return "rejected", err.Error(), nil
	}
	s := status.Status()
	if s.Reason == metav1.StatusReasonConflict {
		return "undetermined: " + s.Message, s.Message, nil
	}
	var fields []string
	if s.Details != nil {
		for _, cause := range s.Details.Causes {
			fields = append(fields, cause.Field)
		}
	}
	return "rejected", s.Message, fields
}

func waitBound(ctx context.Context, clients *kubernetes.Clientset, ns, name string) {
	for start := time.Now(); time.Since(start) < 20*time.Second; time.Sleep(200 * time.Millisecond) {
		claim, err := clients.CoreV1().PersistentVolumeClaims(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil || claim.Status.Phase == "Bound" {
			return
		}
	}
}

// lintUpdates runs stslint on each pair (`workers` at a time; once for pairs that give it the
// same files) and keeps its findings on the new version.
func lintUpdates(stslint string, all []*update, workers int) error {
	byArgs := map[string][]*update{}
	var keys []string
	for _, u := range all {
		k := u.PreviousPath + "\x00" + strings.Join(u.CurrentPaths, "\x00")
		if _, ok := byArgs[k]; !ok {
			keys = append(keys, k)
		}
		byArgs[k] = append(byArgs[k], u)
	}
	return parallel(len(keys), workers, func(i int) error {
		list := byArgs[keys[i]]
		args := append([]string{"--previous", list[0].PreviousPath}, list[0].CurrentPaths...)
		findings, err := runStslint(stslint, args)
		if err != nil {
			return err
		}
		for _, u := range list {
			for _, f := range findings {
				if f.Object != nil && f.Object.Kind == u.Current.Kind && f.Object.Name == u.Current.Name && f.File == u.Current.File {
					u.Findings = append(u.Findings, f)
				}
			}
		}
		return nil
	})
}

// The comparison on updates, per kind.
type updateResult struct {
	Pairs        int
	Undetermined int
	Total        tally
	PerKind      map[string]*tally
	PerSource    map[string]*tally
	Missed       []*update // the update is refused, no update-rejected finding
	FalseClaims  []*update // an update-rejected finding, the update is accepted
	// Updates Helm 3's patch gets through and a server-side apply does not (Helm 4).
	ServerSideOnly []*update
}

func compareUpdates(all []*update, rules map[string]rule) *updateResult {
	r := &updateResult{PerKind: map[string]*tally{}, PerSource: map[string]*tally{}}
	for _, u := range all {
		r.Pairs++
		if strings.HasPrefix(u.Verdict, "undetermined") || u.Verdict == "" {
			r.Undetermined++
			continue
		}
		claimed := false
		for _, f := range u.Findings {
			if f.claim(rules) == "update-rejected" && f.Severity == "error" {
				claimed = true
			}
		}
		rejected := u.Verdict == "rejected"
		r.Total.add(rejected, claimed)
		if !rejected && u.ServerSide == "rejected" {
			r.ServerSideOnly = append(r.ServerSideOnly, u)
		}
		for m, k := range map[*map[string]*tally]string{&r.PerKind: u.Current.Kind, &r.PerSource: u.Source} {
			if (*m)[k] == nil {
				(*m)[k] = &tally{}
			}
			(*m)[k].add(rejected, claimed)
		}
		switch {
		case rejected && !claimed:
			r.Missed = append(r.Missed, u)
		case claimed && !rejected:
			r.FalseClaims = append(r.FalseClaims, u)
		}
	}
	return r
}

// collectUpdates gathers the pairs: the upgrade rules' examples, the mutations, and with
// `--previous` every object of the inputs that the previous render also holds.
func collectUpdates(config *rest.Config, work string, rules map[string]rule, objects []*object, previousPath string, inputs []string) ([]*update, error) {
	_, all, err := ruleUpdates(config, work, rules)
	if err != nil {
		return nil, err
	}
	mutated, err := mutationUpdates(objects, filepath.Join(work, "updates"))
	if err != nil {
		return nil, err
	}
	all = append(all, mutated...)
	if previousPath != "" {
		files, err := manifests([]string{previousPath})
		if err != nil {
			return nil, err
		}
		previous, _ := split(files)
		if err := judge(config, previous); err != nil {
			return nil, err
		}
		var current []*object
		for _, o := range objects {
			if o.Variant == nil && !strings.HasPrefix(o.File, work) {
				current = append(current, o)
			}
		}
		all = append(all, pairs(previous, current, "--previous", previousPath, inputs)...)
	}
	return all, nil
}

// describe names a pair in the report: the new version, and where the previous one is.
func (u *update) describe() string {

	return fmt.Sprintf("%s, previous `%s`", u.Current.describe(), u.PreviousPath)
}

func (r *updateResult) table() string {
	t := r.Total
	return fmt.Sprintf("updates: %d pairs (%d undetermined); update-rejected: both %d, only the cluster %d, only stslint %d, both silent %d: agreement %s, recall %s, false claims %d\n",
		r.Pairs, r.Undetermined, t.Both, t.ClusterOnly, t.StslintOnly, t.Silent, percent(t.agreement()), percent(t.recall()), len(r.FalseClaims))
}

func (r *updateResult) markdown(b *strings.Builder) {
	b.WriteString("## Agreement on `update-rejected`\n\n")
	fmt.Fprintf(b, "Each pair is an object's previous version, created for real in a namespace of its own (with the other objects of its file: a StorageClass the claim names; a claim is first bound), and its new version, sent as Helm 3 upgrades (and a client-side `kubectl apply` applies): a dry-run three-way strategic merge patch from the previous manifest, the new one and the live object, with strict field validation (so fields the server and the controllers set, such as a bound claim's volumeName or a Job's selector, stay). Pairs: every upgrade rule's `previous` example against its invalid and valid ones, each accepted mutation against its base (unless the mutation renamed it), and with `--previous` each object both renders hold. Helm hooks are left out: Helm recreates them. stslint checks each pair with `--previous`. %d pairs, %d undetermined (the previous version could not be created, or a write conflict).\n\n", r.Pairs, r.Undetermined)
	b.WriteString("| pairs | both say refused | only the cluster | only stslint | both silent | agreement | recall |\n|---|---:|---:|---:|---:|---:|---:|\n")
	row := func(name string, t *tally) {
		fmt.Fprintf(b, "| %s | %d | %d | %d | %d | %s | %s |\n", name, t.Both, t.ClusterOnly, t.StslintOnly, t.Silent, percent(t.agreement()), percent(t.recall()))
	}
	for _, k := range slices.Sorted(maps.Keys(r.PerSource)) {
		row(k, r.PerSource[k])
	}
	for _, k := range slices.Sorted(maps.Keys(r.PerKind)) {
		row(k, r.PerKind[k])
	}
	t := r.Total
	row("**all**", &t)
	fmt.Fprintf(b, "\nFalse claims on updates (a finding says the API server refuses an update it accepts): **%d**.\n\n", len(r.FalseClaims))
	section := func(title string, list []*update) {
		fmt.Fprintf(b, "### %s (%d)\n\n", title, len(list))
		if len(list) == 0 {
			b.WriteString("None.\n\n")
			return
		}
		b.WriteString("| update | cluster | fields | stslint |\n|---|---|---|---|\n")
		for i, u := range list {
			if i == 100 {
				fmt.Fprintf(b, "\n…and %d more.\n", len(list)-100)
				break
			}
			message := u.Message
			if u.Verdict == "accepted" {
				message = u.ServerSideMessage
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s |\n", u.describe(), cell(message, 300), cell(strings.Join(u.Fields, ", "), 200), cell(ruleList(u.Findings), 400))
		}
		b.WriteString("\n")
	}
	section("Refused by the cluster, no `update-rejected` finding", r.Missed)
	section("False claims: an `update-rejected` finding on an update the cluster accepts", r.FalseClaims)
	b.WriteString("The same pairs as a server-side apply by one field manager (Helm 4, `kubectl apply --server-side`) are refused where Helm 3's patch goes through in these cases, not judged: stslint's claim is about Helm 3's upgrade.\n\n")
	section("Refused only as a server-side apply", r.ServerSideOnly)
}
