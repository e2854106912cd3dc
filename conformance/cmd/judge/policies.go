package main

// The policy stage: each directory (or rule example) that declares ValidatingAdmissionPolicies
// or CustomResourceDefinitions is a suite. Its namespaces, definitions, params, policies and
// bindings are installed in the API server for real; every other object of the suite, and for
// one suite seeded mutations of the corpus objects, is then sent as a dry-run create. The API
// server's admission decision (denied by which policy, refused by the definition, accepted,
// and its warnings) is compared with stslint's findings on the same files, linted together
// as a user would lint them.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"sigs.k8s.io/yaml"
)

// The kinds that make a directory a policy suite.
func isPolicyMachinery(o *object) bool {
	switch o.gvk.GroupVersion().String() + "/" + o.Kind {
	case "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy",
		"admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding",
		"apiextensions.k8s.io/v1/CustomResourceDefinition":
		return true
	}
	return false
}

// isPolicyFinding: a finding only the policy stage can judge (the main stage installs no
// policy and no definition).
func isPolicyFinding(f finding) bool {
	return strings.HasPrefix(f.Rule, "policy:") || f.Rule == "custom-resource-invalid"
}

type policySuite struct {
	Name  string
	Files []string
	// Every object of the suite's files, with the cluster's and stslint's verdicts.
	Objects []*object
	Setup   int // objects installed for real (namespaces, definitions, params, policies)
}

// What the API server did with one object of a suite.
type policyObserved struct {
	// accepted, denied (by a policy), refused (by a custom resource definition), invalid (by
	// the API server's own validation, before admission), setup (installed for real).
	Verdict  string
	Policy   string   // the policy that denied it
	Message  string   // the API server's message
	Warnings []string // the policies that warned, by name
}

var (
	deniedBy = regexp.MustCompile(`ValidatingAdmissionPolicy '([^']+)'(?: with binding '[^']+')? denied request`)
	warnedBy = regexp.MustCompile(`Validation failed for ValidatingAdmissionPolicy '([^']+)'`)
)

// policySuites finds the suites among the judged objects: a directory, or a single file
// among the rule examples (each is its own story).
func policySuites(objects []*object) []*policySuite {
	bySuite := map[string]*policySuite{}
	var names []string
	key := func(o *object) string {
		if filepath.Base(filepath.Dir(o.File)) == "rule-examples" {
			return o.File
		}
		return filepath.Dir(o.File)
	}
	suites := map[string]bool{}
	for _, o := range objects {
		if o.Variant == nil && isPolicyMachinery(o) {
			suites[key(o)] = true
		}
	}
	for _, o := range objects {
		k := key(o)
		if !suites[k] || o.Variant != nil {
			continue
		}
		s, ok := bySuite[k]
		if !ok {
			s = &policySuite{Name: k}
			bySuite[k] = s
			names = append(names, k)
		}
		if !slices.Contains(s.Files, o.File) {
			s.Files = append(s.Files, o.File)
		}
	}
	sort.Strings(names)
	var out []*policySuite
	for _, n := range names {
		out = append(out, bySuite[n])
	}
	return out
}

// policyMutants writes `count` variants of the base objects, each changing one field a
// stateful policy reads and placed in one of the suite's namespaces.
func policyMutants(bases []*object, count int, seed uint64, dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var pool []*object
	for _, o := range bases {
		switch o.Kind {
		case "StatefulSet", "Service", "PersistentVolumeClaim", "PodDisruptionBudget", "Deployment":
			if o.Verdict == "accepted" && o.Variant == nil {
				pool = append(pool, o)
			}
		}
	}
	if len(pool) == 0 {
		return nil, nil
	}
	namespaces := []string{"prod", "dev", "tools", "default"}
	rng := rand.New(rand.NewPCG(seed, seed^0x51ed270b27ef7a5d))
	var files []string
	for i := 0; i < count; i++ {
		base := pool[rng.IntN(len(pool))]
		var tree map[string]any
		if err := yaml.Unmarshal(base.raw, &tree); err != nil {
			continue
		}
		policyChange(rng, base.Kind, tree)
		meta, _ := tree["metadata"].(map[string]any)
		if meta == nil {
			meta = map[string]any{}
			tree["metadata"] = meta
		}
		meta["namespace"] = namespaces[rng.IntN(len(namespaces))]
		// Helm's hook annotations would only change which policies match.
		delete(meta, "annotations")
		data, err := yaml.Marshal(tree)
		if err != nil {
			continue
		}
		name := filepath.Join(dir, fmt.Sprintf("%04d.yaml", i))
		if err := os.WriteFile(name, data, 0o644); err != nil {
			return nil, err
		}
		files = append(files, name)
	}
	return files, nil
}

// policyChange changes one field of `tree` that the stateful suite's policies read.
func policyChange(rng *rand.Rand, kind string, tree map[string]any) {
	spec, _ := tree["spec"].(map[string]any)
	if spec == nil {
		return
	}
	pick := func(values ...any) any { return values[rng.IntN(len(values))] }
	podSpec := func() map[string]any {
		t, _ := spec["template"].(map[string]any)
		s, _ := t["spec"].(map[string]any)
		return s
	}
	switch kind {
	case "StatefulSet", "Deployment":
		switch rng.IntN(12) {
		case 0, 1:
			spec["replicas"] = pick(1, 2, 3, 4, 5)
		case 2:
			if c := containers(podSpec()); len(c) > 0 {
				c[0]["image"] = pick("postgres", "postgres:latest", "postgres:16.4", "registry.local:5000/db", "db@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
			}
		case 3:
			spec["podManagementPolicy"] = pick("Parallel", "OrderedReady")
			if kind == "Deployment" {
				delete(spec, "podManagementPolicy")
			}
		case 4:
			if c := containers(podSpec()); len(c) > 0 {
				delete(c[0], "resources")
			}
		case 5:
			if s := podSpec(); s != nil {
				s["securityContext"] = map[string]any{"runAsNonRoot": pick(true, false)}
			}
		case 6:
			spec["minReadySeconds"] = pick(0, 5, 10, 30)
		case 7:
			if s := podSpec(); s != nil {
				s["terminationGracePeriodSeconds"] = pick(0, 5, 10, 60)
			}
		case 8:
			spec["revisionHistoryLimit"] = pick(3, 10, 20)
		case 9:
			if meta, _ := tree["metadata"].(map[string]any); meta != nil {
				labels, _ := meta["labels"].(map[string]any)
				if labels == nil {
					labels = map[string]any{}
					meta["labels"] = labels
				}
				if rng.IntN(2) == 0 {
					delete(labels, "app.kubernetes.io/name")
				} else {
					labels["tier"] = "database"
				}
			}
		case 10:
			if kind == "StatefulSet" {
				spec["persistentVolumeClaimRetentionPolicy"] = map[string]any{"whenDeleted": pick("Retain", "Delete"), "whenScaled": "Retain"}
			}
		default:
			templates, _ := spec["volumeClaimTemplates"].([]any)
			for _, t := range templates {
				m, _ := t.(map[string]any)
				s, _ := m["spec"].(map[string]any)
				if s == nil {
					continue
				}
				switch rng.IntN(3) {
				case 0:
					if c := pick("", "standard", "fast-ssd", "gold"); c == "" {
						delete(s, "storageClassName")
					} else {
						s["storageClassName"] = c
					}
				case 1:
					s["resources"] = map[string]any{"requests": map[string]any{"storage": pick("1Gi", "100Gi", "500Gi", "501Gi", "2Ti")}}
				default:
					s["accessModes"] = []any{pick("ReadWriteOnce", "ReadWriteMany", "ReadWriteOncePod")}
				}
			}
		}
	case "Service":
		switch rng.IntN(3) {
		case 0:
			spec["type"] = pick("ClusterIP", "NodePort", "LoadBalancer")
			if spec["clusterIP"] == "None" {
				delete(spec, "clusterIP")
			}
		case 1:
			if ports, _ := spec["ports"].([]any); len(ports) == 1 {
				if p, _ := ports[0].(map[string]any); p != nil {
					delete(p, "name")
				}
			}
		default:
			if ports, _ := spec["ports"].([]any); len(ports) > 0 {
				if p, _ := ports[0].(map[string]any); p != nil {
					p["name"] = pick("db", "metrics")
				}
			}
		}
	case "PersistentVolumeClaim":
		spec["resources"] = map[string]any{"requests": map[string]any{"storage": pick("1Gi", "999Gi", "1Ti", "4Ti")}}
	case "PodDisruptionBudget":
		delete(spec, "minAvailable")
		spec["maxUnavailable"] = pick(0, 1, "0%", "50%")
	}
}

func containers(podSpec map[string]any) []map[string]any {
	list, _ := podSpec["containers"].([]any)
	var out []map[string]any
	for _, c := range list {
		if m, ok := c.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// warningCatcher keeps the warnings of the request in flight (requests are made one at a
// time).
type warningCatcher struct {
	mu   sync.Mutex
	seen []string
}

func (w *warningCatcher) HandleWarningHeader(_ int, _ string, text string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.seen = append(w.seen, text)
}

func (w *warningCatcher) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.seen
	w.seen = nil
	return out
}

// runPolicySuites installs each suite in turn, judges its objects and lints its files.
func runPolicySuites(config *rest.Config, stslint string, suites []*policySuite) error {
	catcher := &warningCatcher{}
	cfg := rest.CopyConfig(config)
	cfg.WarningHandler = catcher
	clients, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	for _, s := range suites {
		if err := runPolicySuite(cfg, clients, catcher, stslint, s); err != nil {
			return fmt.Errorf("policy suite %s: %w", s.Name, err)
		}
	}
	return nil
}

func runPolicySuite(config *rest.Config, clients *kubernetes.Clientset, catcher *warningCatcher, stslint string, s *policySuite) error {
	ctx := context.Background()
	objects, _ := split(s.Files)
	s.Objects = objects
	// A fresh mapper per suite: the definitions of the suite before are gone.
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(discovery.NewDiscoveryClientForConfigOrDie(config)))
	paramKinds := map[string]bool{}
	for _, o := range objects {
		if o.Kind == "ValidatingAdmissionPolicy" {
			var tree struct {
				Spec struct {
					ParamKind *struct {
						APIVersion string `json:"apiVersion"`
						Kind       string `json:"kind"`
					} `json:"paramKind"`
				} `json:"spec"`
			}
			if yaml.Unmarshal(o.raw, &tree) == nil && tree.Spec.ParamKind != nil {
				paramKinds[tree.Spec.ParamKind.APIVersion+"/"+tree.Spec.ParamKind.Kind] = true
			}
		}
	}
	isSetup := func(o *object) bool {
		return isPolicyMachinery(o) || o.Kind == "Namespace" && o.gvk.Version == "v1" && o.gvk.Group == "" ||
			paramKinds[o.gvk.GroupVersion().String()+"/"+o.Kind]
	}
	// The order the API server needs: namespaces, definitions, params, policies, bindings.
	rank := func(o *object) int {
		switch {
		case o.Kind == "Namespace":
			return 0
		case o.Kind == "CustomResourceDefinition":
			return 1
		case o.Kind == "ValidatingAdmissionPolicy":
			return 3
		case o.Kind == "ValidatingAdmissionPolicyBinding":
			return 4
		default:
			return 2
		}
	}
	var setup []*object
	for _, o := range objects {
		if isSetup(o) && !o.gvk.Empty() {
			setup = append(setup, o)
		}
	}
	sort.SliceStable(setup, func(i, j int) bool { return rank(setup[i]) < rank(setup[j]) })
	s.Setup = len(setup)
	var created []func()
	defer func() {
		for i := len(created) - 1; i >= 0; i-- {
			created[i]()
		}
	}()
	for _, o := range setup {
		if rank(o) == 2 {
			// Params may be of a kind a definition just made.
			mapper.Reset()
		}
		undo, message, err := install(ctx, clients, mapper, o)
		if err != nil {
			return err
		}
		o.Policy = &policyObserved{Verdict: "setup", Message: message}
		if undo != nil {
			created = append(created, undo)
		}
		if o.Kind == "CustomResourceDefinition" && message == "" {
			if err := waitEstablished(ctx, clients, o.Name); err != nil {
				return err
			}
		}
	}
	mapper.Reset()
	// Policies act once the admission plugin's informers have them: the verdicts are taken
	// again until two rounds agree.
	time.Sleep(2 * time.Second)
	previous := ""
	for round := 0; round < 10; round++ {
		verdicts := judgePolicyObjects(ctx, clients, mapper, catcher, objects, isSetup)
		if verdicts == previous {
			break
		}
		previous = verdicts
		time.Sleep(time.Second)
	}
	findings, err := runStslint(stslint, s.Files)
	if err != nil {
		return err
	}
	attach(findings, objects, func(o *object, f finding) { o.Findings = append(o.Findings, f) })
	return nil
}

// install creates o for real; it returns how to remove it, and the API server's message when
// it refused it (a policy that does not compile is judged so).
func install(ctx context.Context, clients *kubernetes.Clientset, mapper meta.RESTMapper, o *object) (func(), string, error) {
	mapping, err := mapper.RESTMapping(o.gvk.GroupKind(), o.gvk.Version)
	if err != nil {
		return nil, fmt.Sprintf("the API server serves no %s", o.gvk), nil
	}
	ns := ""
	if mapping.Scope.Name() == meta.RESTScopeNameNamespace {
		ns = o.Namespace
		if ns == "" {
			ns = "default"
		}
		ensureNamespace(ctx, clients, ns)
	}
	path := collectionPath(mapping, ns)
	body, err := yaml.YAMLToJSON(o.raw)
	if err != nil {
		return nil, err.Error(), nil
	}
	err = clients.CoreV1().RESTClient().Post().AbsPath(path).
		SetHeader("Content-Type", "application/json").Body(body).Do(ctx).Error()
	if apierrors.IsAlreadyExists(err) && o.Kind == "Namespace" {
		// A namespace of an earlier suite: given this suite's labels.
		var tree map[string]any
		_ = json.Unmarshal(body, &tree)
		meta, _ := tree["metadata"].(map[string]any)
		labels := meta["labels"]
		patch, _ := json.Marshal(map[string]any{"metadata": map[string]any{"labels": labels}})
		err = clients.CoreV1().RESTClient().Patch("application/merge-patch+json").AbsPath(path + "/" + o.Name).Body(patch).Do(ctx).Error()
	}
	if err != nil {
		var status apierrors.APIStatus
		if errors.As(err, &status) {
			return nil, status.Status().Message, nil
		}
		return nil, "", err
	}
	item := path + "/" + o.Name
	if o.Kind == "Namespace" {
		// Kept for later suites (deleting one takes the namespace controller's time); its
		// labels are taken off.
		return func() {
			patch := []byte(`{"metadata":{"labels":null}}`)
			_ = clients.CoreV1().RESTClient().Patch("application/merge-patch+json").AbsPath(item).Body(patch).Do(ctx).Error()
		}, "", nil
	}
	return func() {
		_ = clients.CoreV1().RESTClient().Delete().AbsPath(item).Do(ctx).Error()
		if o.Kind == "CustomResourceDefinition" {
			for i := 0; i < 100; i++ {
				err := clients.CoreV1().RESTClient().Get().AbsPath(item).Do(ctx).Error()
				if apierrors.IsNotFound(err) {
					return
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
	}, "", nil
}

// freshNamespace makes namespace ns, with the default service account pods are admitted
// with, for a case played for real; it returns how to remove it.
func freshNamespace(ctx context.Context, clients *kubernetes.Clientset, ns string) (func(), error) {
	body := fmt.Sprintf(`{"apiVersion":"v1","kind":"Namespace","metadata":{"name":%q}}`, ns)
	if err := clients.CoreV1().RESTClient().Post().AbsPath("/api/v1/namespaces").
		SetHeader("Content-Type", "application/json").Body([]byte(body)).Do(ctx).Error(); err != nil {
		return nil, err
	}
	ensureNamespace(ctx, clients, ns)
	return func() { _ = clients.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{}) }, nil
}

// ensureNamespace makes namespace ns and its default service account if they are missing.
func ensureNamespace(ctx context.Context, clients *kubernetes.Clientset, ns string) {
	body := fmt.Sprintf(`{"apiVersion":"v1","kind":"Namespace","metadata":{"name":%q}}`, ns)
	_ = clients.CoreV1().RESTClient().Post().AbsPath("/api/v1/namespaces").
		SetHeader("Content-Type", "application/json").Body([]byte(body)).Do(ctx).Error()
	sa := `{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"default"}}`
	_ = clients.CoreV1().RESTClient().Post().AbsPath("/api/v1/namespaces/"+ns+"/serviceaccounts").
		SetHeader("Content-Type", "application/json").Body([]byte(sa)).Do(ctx).Error()
}

func waitEstablished(ctx context.Context, clients *kubernetes.Clientset, name string) error {
	path := "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + name
	for i := 0; i < 300; i++ {
		raw, err := clients.CoreV1().RESTClient().Get().AbsPath(path).Do(ctx).Raw()
		if err == nil {
			var crd struct {
				Status struct {
					Conditions []struct{ Type, Status string } `json:"conditions"`
				} `json:"status"`
			}
			if json.Unmarshal(raw, &crd) == nil {
				for _, c := range crd.Status.Conditions {
					if c.Type == "Established" && c.Status == "True" {
						return nil
					}
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("the CustomResourceDefinition %s was not established within 30 s", name)
}

// judgePolicyObjects sends every object of the suite that is not installed as a dry-run
// create; it returns the verdicts as one string, to tell when they have settled.
func judgePolicyObjects(ctx context.Context, clients *kubernetes.Clientset, mapper meta.RESTMapper, catcher *warningCatcher, objects []*object, isSetup func(*object) bool) string {
	var all strings.Builder
	for _, o := range objects {
		if isSetup(o) || o.gvk.Empty() {
			continue
		}
		seen := &policyObserved{}
		o.Policy = seen
		mapping, err := mapper.RESTMapping(o.gvk.GroupKind(), o.gvk.Version)
		if err != nil {
			seen.Verdict = "unserved"
			seen.Message = fmt.Sprintf("the API server serves no %s", o.gvk)
			continue
		}
		ns := ""
		if mapping.Scope.Name() == meta.RESTScopeNameNamespace {
			ns = o.Namespace
			if ns == "" {
				ns = "default"
			}
			ensureNamespace(ctx, clients, ns)
		}
		contentType := "application/yaml"
		if json.Valid(o.raw) {
			contentType = "application/json"
		}
		catcher.take()
		err = clients.CoreV1().RESTClient().Post().AbsPath(collectionPath(mapping, ns)).
			Param("dryRun", "All").Param("fieldValidation", "Strict").
			SetHeader("Content-Type", contentType).Body(o.raw).Do(ctx).Error()
		for _, w := range catcher.take() {
			if m := warnedBy.FindStringSubmatch(w); m != nil && !slices.Contains(seen.Warnings, m[1]) {
				seen.Warnings = append(seen.Warnings, m[1])
			}
		}
		sort.Strings(seen.Warnings)
		switch {
		case err == nil:
			seen.Verdict = "accepted"
		default:
			seen.Message = err.Error()
			var status apierrors.APIStatus
			if errors.As(err, &status) {
				seen.Message = status.Status().Message
			}
			if m := deniedBy.FindStringSubmatch(seen.Message); m != nil {
				seen.Verdict, seen.Policy = "denied", m[1]
			} else if strings.Contains(mapping.Resource.Group, ".") && !strings.HasSuffix(mapping.Resource.Group, ".k8s.io") {
				seen.Verdict = "refused" // a custom resource its definition refuses
			} else {
				seen.Verdict = "invalid"
			}
		}
		fmt.Fprintf(&all, "%s#%d %s %s %v\n", o.File, o.Index, seen.Verdict, seen.Policy, seen.Warnings)
	}
	return all.String()
}

// The policy stage's agreement.
type policyResult struct {
	Suites  []*policySuite
	Objects int
	// On admission: denied (by a policy or a definition) against an error finding that
	// claims apply-rejected.
	Admission tally
	// Warnings, per object and policy.
	Warnings tally
	// Objects the API server's own validation refused before admission: judged by the main
	// stage, not here.
	Invalid      int
	Missed       []disagreement
	FalseClaims  []disagreement
	OtherPolicy  []disagreement // denied by a policy stslint does not name
	WarnMismatch []disagreement
}

func comparePolicies(suites []*policySuite, rules map[string]rule) *policyResult {
	r := &policyResult{Suites: suites}
	for _, s := range suites {
		for _, o := range s.Objects {
			seen := o.Policy
			if seen == nil || seen.Verdict == "setup" {
				continue
			}
			if seen.Verdict == "unserved" {
				// A version or kind no definition serves: kubectl finds no resource for it.
				seen.Verdict = "refused"
			}
			r.Objects++
			if seen.Verdict == "invalid" {
				r.Invalid++
				continue
			}
			var claiming []finding
			denying := map[string]bool{}
			warning := map[string]bool{}
			for _, f := range o.Findings {
				if f.Severity == "error" && f.claim(rules) == "apply-rejected" {
					claiming = append(claiming, f)
				}
				if name, ok := strings.CutPrefix(f.Rule, "policy:"); ok {
					switch f.Severity {
					case "error":
						denying[name] = true
					case "warning":
						warning[name] = true
					}
				}
			}
			cluster := seen.Verdict == "denied" || seen.Verdict == "refused"
			stslint := len(claiming) > 0
			r.Admission.add(cluster, stslint)
			switch {
			case cluster && !stslint:
				r.Missed = append(r.Missed, disagreement{o, o.Findings})
			case stslint && !cluster:
				r.FalseClaims = append(r.FalseClaims, disagreement{o, claiming})
			case cluster && seen.Verdict == "denied" && !denying[seen.Policy]:
				r.OtherPolicy = append(r.OtherPolicy, disagreement{o, claiming})
			}
			if seen.Verdict != "accepted" {
				continue
			}
			names := map[string]bool{}
			for _, w := range seen.Warnings {
				names[w] = true
			}
			for n := range warning {
				names[n] = true
			}
			mismatch := false
			for _, n := range slices.Sorted(mapsKeys(names)) {
				both := slices.Contains(seen.Warnings, n)
				r.Warnings.add(both, warning[n])
				mismatch = mismatch || both != warning[n]
			}
			if mismatch {
				r.WarnMismatch = append(r.WarnMismatch, disagreement{o, o.Findings})
			}
		}
	}
	return r
}

func mapsKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func (r *policyResult) table() string {
	t := r.Admission
	return fmt.Sprintf("policies: %d suites, %d objects: both deny %d, only the cluster %d, only stslint %d, both admit %d: agreement %s, %d denied by another policy; warnings both %d, only the cluster %d, only stslint %d\n",
		len(r.Suites), r.Objects, t.Both, t.ClusterOnly, t.StslintOnly, t.Silent, percent(t.agreement()), len(r.OtherPolicy), r.Warnings.Both, r.Warnings.ClusterOnly, r.Warnings.StslintOnly)
}

func (r *policyResult) markdown(b *strings.Builder) {
	b.WriteString("## Policies: ValidatingAdmissionPolicies and custom resource definitions\n\n")
	b.WriteString("Each suite's namespaces, definitions, params, policies and bindings installed in the API server for real; every other object of the suite (and, for the stateful suite, seeded mutations of the corpus objects placed in its namespaces) sent as a dry-run create. Denied means by a policy or, for a custom resource, by its definition; an error finding that claims `apply-rejected` is stslint's deny. Objects the API server's own validation refuses before admission are the main stage's.\n\n")
	b.WriteString("| suite | files | installed | judged |\n|---|---:|---:|---:|\n")
	for _, s := range r.Suites {
		judged := 0
		for _, o := range s.Objects {
			if o.Policy != nil && o.Policy.Verdict != "setup" {
				judged++
			}
		}
		fmt.Fprintf(b, "| `%s` | %d | %d | %d |\n", s.Name, len(s.Files), s.Setup, judged)
	}
	t := r.Admission
	fmt.Fprintf(b, "\n| decision | both deny | only the cluster | only stslint | both admit | agreement |\n|---|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(b, "| admission | %d | %d | %d | %d | %s |\n", t.Both, t.ClusterOnly, t.StslintOnly, t.Silent, percent(t.agreement()))
	w := r.Warnings
	fmt.Fprintf(b, "| warnings (object and policy) | %d | %d | %d | – | %s |\n\n", w.Both, w.ClusterOnly, w.StslintOnly, percent(w.agreement()))
	fmt.Fprintf(b, "Refused by the API server's own validation before admission (judged by the main stage): %d. Denied by a policy stslint does not name among its errors on the object: **%d**.\n\n", r.Invalid, len(r.OtherPolicy))
	section := func(title string, list []disagreement) {
		fmt.Fprintf(b, "### %s (%d)\n\n", title, len(list))
		if len(list) == 0 {
			return
		}
		b.WriteString("| object | the API server | stslint |\n|---|---|---|\n")
		for i, d := range list {
			if i == 40 {
				fmt.Fprintf(b, "\n…and %d more.\n", len(list)-40)
				break
			}
			o := d.Object
			said := o.Policy.Message
			if said == "" {
				said = o.Policy.Verdict
			}
			if len(o.Policy.Warnings) > 0 {
				said += " (warned by " + strings.Join(o.Policy.Warnings, ", ") + ")"
			}
			fmt.Fprintf(b, "| %s | %s | %s |\n", o.describePolicy(), cell(said, 300), ruleList(d.Findings))
		}
		b.WriteString("\n")
	}
	section("Denied by the cluster, no finding claims it", r.Missed)
	section("False claims: a deny finding on an object the cluster admits", r.FalseClaims)
	section("Denied by another policy than stslint names", r.OtherPolicy)
	section("Warnings that differ", r.WarnMismatch)
}

func (o *object) describePolicy() string {
	return fmt.Sprintf("`%s` #%d %s `%s/%s`", o.File, o.Index, o.Kind, o.Namespace, o.Name)
}
