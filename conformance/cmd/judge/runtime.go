package main

// The run-time verdicts: each scene (objects that are deployed together) is created for real in
// a namespace of its own; the controllers, the scheduler and kwok's nodes do the rest. After a
// bounded wait the judge records what a user would see: which pods each workload's controller
// made and which creations it was refused, which pods each Service's EndpointSlices list (and
// with which hostname: per-pod DNS), and whether a PodDisruptionBudget lets an eviction through.

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"sigs.k8s.io/yaml"

	"stslint.dev/conformance/cluster"
)

// The claims the run time confirms or contradicts, and the kinds they are about.
var runtimeClaims = map[string]string{
	"pods-rejected":     "workload",
	"no-endpoints":      "Service",
	"no-pod-dns":        "StatefulSet",
	"evictions-blocked": "PodDisruptionBudget",
}

// A scene: objects deployed together (a directory of manifests, a rendered chart, a mutation
// with the rest of its chart), linted together by stslint.
type scene struct {
	Name    string
	Files   []string
	Objects []*object
	// Some of the scene's objects were rejected on apply: what links them is not judged.
	Incomplete bool
}

// What the cluster showed for one object at run time.
type observed struct {
	// Workloads: pods made and Ready, and the controller's refused creations.
	Replicas    int      `json:",omitempty"`
	Pods        int      `json:",omitempty"`
	ReadyPods   int      `json:",omitempty"`
	FailedPods  []string `json:",omitempty"`
	FailedClaim []string `json:",omitempty"`
	// StatefulSets: Ready pods with no hostname in the governing Service's EndpointSlices.
	NoDNS []string `json:",omitempty"`
	// Services: the ports no Ready endpoint serves.
	PortsWithoutEndpoints []string `json:",omitempty"`
	// PodDisruptionBudgets.
	ExpectedPods       int    `json:",omitempty"`
	DisruptionsAllowed int    `json:",omitempty"`
	Eviction           string `json:",omitempty"`
	// Per claim: broken, fine, or undetermined (with why).
	Verdicts map[string]string
	// stslint's findings on the object when its scene is linted alone.
	Findings []finding `json:",omitempty"`
}

var workloadKinds = map[string]bool{
	"StatefulSet": true, "Deployment": true, "ReplicaSet": true, "DaemonSet": true, "Job": true,
}

// scenes groups the accepted objects of `objects`: a directory's files make one scene unless two
// of them define the same object, then each file is one.
func scenes(objects []*object) []*scene {
	byDir := map[string][]*object{}
	var dirs []string
	rejected := map[string]bool{} // files with an object the API server rejected
	for _, o := range objects {
		if o.Verdict == "rejected" && o.Variant == nil {
			rejected[o.File] = true
		}
		if o.Verdict != "accepted" || o.Variant != nil {
			continue
		}
		dir := filepath.Dir(o.File)
		if _, ok := byDir[dir]; !ok {
			dirs = append(dirs, dir)
		}
		byDir[dir] = append(byDir[dir], o)
	}
	var out []*scene
	add := func(list []*object) {
		if !slices.ContainsFunc(list, func(o *object) bool {
			return o.Kind == "Service" || o.Kind == "PodDisruptionBudget" || workloadKinds[o.Kind]
		}) {
			return
		}
		s := &scene{Objects: list}
		for _, o := range list {
			if !slices.Contains(s.Files, o.File) {
				s.Files = append(s.Files, o.File)
				s.Incomplete = s.Incomplete || rejected[o.File]
			}
		}
		out = append(out, s)
	}
	for _, dir := range dirs {
		list := byDir[dir]
		seen := map[string]string{}
		clash := false
		for _, o := range list {
			key := o.Kind + "/" + o.Namespace + "/" + o.Name
			if f, ok := seen[key]; ok && f != o.File {
				clash = true
				break
			}
			seen[key] = o.File
		}
		if !clash {
			add(list)
			continue
		}
		byFile := map[string][]*object{}
		var files []string
		for _, o := range list {
			if _, ok := byFile[o.File]; !ok {
				files = append(files, o.File)
			}
			byFile[o.File] = append(byFile[o.File], o)
		}
		for _, f := range files {
			add(byFile[f])
		}
	}
	return out
}

// mutantScenes places up to `count` accepted mutants of run-time kinds among the other objects
// of their base's file, written as one file each under dir.
func mutantScenes(objects []*object, count int, dir string) ([]*scene, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	siblings := map[string][]*object{}
	for _, o := range objects {
		if o.Variant == nil && o.Verdict == "accepted" {
			siblings[o.File] = append(siblings[o.File], o)
		}
	}
	var out []*scene
	for _, m := range objects {
		if len(out) == count {
			break
		}
		if m.Variant == nil || m.Verdict != "accepted" || m.Variant.base == nil {
			continue
		}
		if m.Kind != "Service" && m.Kind != "PodDisruptionBudget" && !workloadKinds[m.Kind] {
			continue
		}
		base := m.Variant.base
		list := siblings[base.File]
		var docs [][]byte
		for _, o := range list {
			raw := o.raw
			if o == base {
				raw = m.raw
			}
			docs = append(docs, raw)
		}
		name := filepath.Join(dir, filepath.Base(m.File))
		var text []byte
		for _, d := range docs {
			y, err := yaml.JSONToYAML(d)
			if err != nil {
				y = d
			}
			text = append(text, "---\n"...)
			text = append(text, y...)
		}
		if err := os.WriteFile(name, text, 0o644); err != nil {
			return nil, err
		}
		// The scene's objects are copies, named after the new file, so that the lint of the
		// scene hangs its findings on them.
		s := &scene{Files: []string{name}}
		for i, o := range list {
			c := *o
			if o == base {
				c = *m
			}
			c.File, c.Index, c.Findings, c.Runtime = name, i, nil, nil
			s.Objects = append(s.Objects, &c)
		}
		out = append(out, s)
	}
	return out, nil
}

// runScenes deploys each scene (`workers` at a time) and records what the cluster did.
func runScenes(config *rest.Config, all []*scene, workers int) error {
	clients, err := kubernetes.NewForConfig(config)
	if err != nil {
		return err
	}
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(discovery.NewDiscoveryClientForConfigOrDie(config)))
	return parallel(len(all), workers, func(i int) error {
		all[i].Name = fmt.Sprintf("scene-%04d", i)
		if err := runScene(clients, mapper, all[i]); err != nil {
			return fmt.Errorf("%s (%s): %w", all[i].Name, strings.Join(all[i].Files, ", "), err)
		}
		return nil
	})
}

// parallel calls do(0) ... do(n-1), `workers` at a time, and returns the first error.
func parallel(n, workers int, do func(i int) error) error {
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if err := do(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return first
}

// The order a chart's objects are installed in (Helm's, shortened), so that what a workload
// needs exists before it.
var installOrder = []string{"ServiceAccount", "Secret", "ConfigMap", "PersistentVolumeClaim",
	"Role", "RoleBinding", "Service", "DaemonSet", "Pod", "ReplicaSet", "Deployment", "StatefulSet",
	"Job", "CronJob", "PodDisruptionBudget"}

func runScene(clients *kubernetes.Clientset, mapper meta.RESTMapper, s *scene) error {
	ctx := context.Background()
	// Each namespace the scene names gets one of its own (the first, and objects that name
	// none, the scene's), so that what links objects across namespaces stays unlinked.
	namespaces := map[string]string{}
	var order []string
	for _, o := range s.Objects {
		if _, ok := namespaces[o.Namespace]; !ok {
			namespaces[o.Namespace] = s.Name
			if len(order) > 0 {
				namespaces[o.Namespace] = fmt.Sprintf("%s-%d", s.Name, len(order))
			}
			order = append(order, o.Namespace)
		}
	}
	_, unnamespaced := namespaces[""]
	mixed := unnamespaced && len(order) > 1
	for _, original := range order {
		ns := namespaces[original]
		body := fmt.Sprintf(`{"apiVersion":"v1","kind":"Namespace","metadata":{"name":%q}}`, ns)
		if err := clients.CoreV1().RESTClient().Post().AbsPath("/api/v1/namespaces").
			SetHeader("Content-Type", "application/json").Body([]byte(body)).Do(ctx).Error(); err != nil {
			return err
		}
		defer func() {
			_ = clients.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{})
		}()
	}
	rank := func(kind string) int {
		if i := slices.Index(installOrder, kind); i >= 0 {
			return i
		}
		return len(installOrder)
	}
	list := slices.Clone(s.Objects)
	sort.SliceStable(list, func(i, j int) bool { return rank(list[i].Kind) < rank(list[j].Kind) })
	created := map[string][]*object{}
	for _, o := range list {
		var tree map[string]any
		if err := yaml.Unmarshal(o.raw, &tree); err != nil {
			continue
		}
		metadata, _ := tree["metadata"].(map[string]any)
		if metadata == nil {
			continue
		}
		// Helm runs hooks at their own time and (usually) deletes them: not part of the
		// release's steady state.
		if annotations, ok := metadata["annotations"].(map[string]any); ok && annotations["helm.sh/hook"] != nil {
			continue
		}
		mapping, err := mapper.RESTMapping(o.gvk.GroupKind(), o.gvk.Version)
		if err != nil || mapping.Scope.Name() != meta.RESTScopeNameNamespace {
			continue // cluster-wide objects are shared by every scene: left out
		}
		ns := namespaces[o.Namespace]
		metadata["namespace"] = ns
		data, _ := json.Marshal(tree)
		path := collectionPath(mapping, ns)
		err = clients.CoreV1().RESTClient().Post().AbsPath(path).
			SetHeader("Content-Type", "application/json").Body(data).Do(ctx).Error()
		if err == nil {
			created[o.Namespace] = append(created[o.Namespace], o)
		}
	}
	for _, original := range order {
		ns := namespaces[original]
		settle(ctx, clients, ns, created[original])
		// The EndpointSlice controller may still be catching up with the pods that just
		// became Ready: a link seen broken is looked at again, a few times.
		for try := 0; ; try++ {
			if err := observe(ctx, clients, ns, created[original]); err != nil {
				return err
			}
			if try == 3 || !slices.ContainsFunc(created[original], linkBroken) {
				break
			}
			time.Sleep(2 * time.Second)
		}
	}
	for _, original := range order {
		for _, o := range created[original] {
			why := ""
			switch {
			case s.Incomplete:
				why = "undetermined: the API server rejected another object of the scene"
			case mixed:
				why = "undetermined: some objects of the scene name no namespace, others do"
			}
			for claim, verdict := range o.Runtime.Verdicts {
				if why != "" && claim != "pods-rejected" && !strings.HasPrefix(verdict, "undetermined") {
					o.Runtime.Verdicts[claim] = why
				}
			}
		}
	}
	return nil
}

// linkBroken says whether the cluster showed a Service or a StatefulSet's pods unreachable.
func linkBroken(o *object) bool {
	return o.Runtime != nil && (o.Runtime.Verdicts["no-endpoints"] == "broken" || o.Runtime.Verdicts["no-pod-dns"] == "broken")
}

// settle waits until every workload has its pods Ready, or (once its pods are made or refused)
// nothing has changed for 5 s, at most 45 s; then a moment for the EndpointSlice and disruption
// controllers.
func settle(ctx context.Context, clients *kubernetes.Clientset, ns string, created []*object) {
	want := 0
	for _, o := range created {
		if workloadKinds[o.Kind] && o.Kind != "Job" {
			want += replicas(o)
		} else if o.Kind == "Pod" {
			want++
		}
	}
	start := time.Now()
	last, lastChange := "", time.Now()
	for time.Since(start) < 45*time.Second {
		pods, err := clients.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			break
		}
		var state strings.Builder
		ready, busy := 0, false
		for _, p := range pods.Items {
			r := podReady(&p)
			if r {
				ready++
			}
			busy = busy || pending(&p)
			fmt.Fprintf(&state, "%s:%s:%v,", p.Name, p.Status.Phase, r)
		}
		if ready >= want && time.Since(start) > time.Second {
			break
		}
		// Quiet counts once every pod is made or a creation was refused, and no pod is on its
		// way: until then the controllers are still at work (claims being bound, a queue).
		made := len(pods.Items) >= want || refused(ctx, clients, ns)
		if state.String() != last || !made || busy {
			last, lastChange = state.String(), time.Now()
		} else if time.Since(lastChange) > 5*time.Second {
			break
		}
		time.Sleep(300 * time.Millisecond)
	}
	time.Sleep(1500 * time.Millisecond)
}

// pending says whether a pod is still on its way: not yet scheduled for a reason other than
// the scheduler finding no node (its claims not bound yet, or not tried yet), or on a node that
// has not started it.
func pending(p *corev1.Pod) bool {
	if p.Status.Phase != corev1.PodPending {
		return false
	}
	if p.Spec.NodeName != "" {
		return true
	}
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse && c.Reason == corev1.PodReasonUnschedulable {
			return strings.Contains(c.Message, "unbound") || strings.Contains(c.Message, "not found")
		}
	}
	return true
}

// refused says whether a controller of the namespace recorded a refused creation.
func refused(ctx context.Context, clients *kubernetes.Clientset, ns string) bool {
	events, err := clients.CoreV1().Events(ns).List(ctx, metav1.ListOptions{FieldSelector: "reason=FailedCreate"})
	return err != nil || len(events.Items) > 0
}

// replicas is a workload's desired replica count (1 when not set; DaemonSets: one per node).
func replicas(o *object) int {
	var tree struct {
		Spec struct {
			Replicas *int `json:"replicas"`
		} `json:"spec"`
	}
	_ = yaml.Unmarshal(o.raw, &tree)
	if o.Kind == "DaemonSet" {
		return cluster.Nodes
	}
	if tree.Spec.Replicas == nil {
		return 1
	}
	return *tree.Spec.Replicas
}

func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func observe(ctx context.Context, clients *kubernetes.Clientset, ns string, created []*object) error {
	pods, err := clients.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	events, err := clients.CoreV1().Events(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	slicesList, err := clients.DiscoveryV1().EndpointSlices(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	services, err := clients.CoreV1().Services(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	headless := map[string]bool{}
	for _, svc := range services.Items {
		headless[svc.Name] = svc.Spec.ClusterIP == corev1.ClusterIPNone
	}
	// A pod's hostname as the EndpointSlices of each Service publish it.
	hostnames := map[string]map[string]bool{} // service -> pod name -> hostname set
	endpoints := map[string]map[string]int{}  // service -> port name -> Ready endpoints
	addresses := map[string]int{}             // service -> Ready endpoints, whatever the ports
	for _, es := range slicesList.Items {
		service := es.Labels[discoveryv1.LabelServiceName]
		if hostnames[service] == nil {
			hostnames[service] = map[string]bool{}
			endpoints[service] = map[string]int{}
		}
		readyCount := 0
		for _, e := range es.Endpoints {
			if e.Conditions.Ready != nil && !*e.Conditions.Ready {
				continue
			}
			readyCount++
			if e.TargetRef != nil && e.Hostname != nil && *e.Hostname == e.TargetRef.Name {
				hostnames[service][e.TargetRef.Name] = true
			}
		}
		addresses[service] += readyCount
		for _, p := range es.Ports {
			name := ""
			if p.Name != nil {
				name = *p.Name
			}
			endpoints[service][name] += readyCount
		}
	}
	owned := func(p *corev1.Pod, kind, name string) bool {
		for _, ref := range p.OwnerReferences {
			if ref.Kind == kind && ref.Name == name {
				return true
			}
			// A Deployment's pods belong to its ReplicaSets, named after it.
			if kind == "Deployment" && ref.Kind == "ReplicaSet" && strings.HasPrefix(ref.Name, name+"-") {
				return true
			}
		}
		return false
	}
	// Whether every pod the scene's workloads want is there and Ready: until then a Service's
	// missing endpoints may only be pods still on their way (or pods no node here can hold).
	want, ready, running := 0, 0, 0
	for _, o := range created {
		if (workloadKinds[o.Kind] && o.Kind != "Job") || o.Kind == "Pod" {
			want += replicas(o)
		}
	}
	for i := range pods.Items {
		if pods.Items[i].Status.Phase == corev1.PodSucceeded {
			continue
		}
		running++
		if podReady(&pods.Items[i]) {
			ready++
		}
	}
	settled := ready == running && running >= want
	for _, o := range created {
		obs := &observed{Verdicts: map[string]string{}}
		o.Runtime = obs
		var tree map[string]any
		_ = yaml.Unmarshal(o.raw, &tree)
		spec, _ := tree["spec"].(map[string]any)
		switch {
		case workloadKinds[o.Kind]:
			obs.Replicas = replicas(o)
			var mine []*corev1.Pod
			for i := range pods.Items {
				if owned(&pods.Items[i], o.Kind, o.Name) {
					mine = append(mine, &pods.Items[i])
				}
			}
			obs.Pods = len(mine)
			for _, p := range mine {
				if podReady(p) {
					obs.ReadyPods++
				}
			}
			for _, e := range events.Items {
				if e.Reason != "FailedCreate" {
					continue
				}
				about := e.InvolvedObject.Kind == o.Kind && e.InvolvedObject.Name == o.Name
				if o.Kind == "Deployment" && e.InvolvedObject.Kind == "ReplicaSet" && strings.HasPrefix(e.InvolvedObject.Name, o.Name+"-") {
					about = true
				}
				if !about {
					continue
				}
				if strings.Contains(e.Message, "PersistentVolumeClaim") || strings.Contains(e.Message, "create Claim") {
					obs.FailedClaim = append(obs.FailedClaim, e.Message)
				} else {
					obs.FailedPods = append(obs.FailedPods, e.Message)
				}
			}
			switch {
			case len(obs.FailedPods) > 0 || len(obs.FailedClaim) > 0:
				obs.Verdicts["pods-rejected"] = "broken"
			case obs.Pods > 0 || obs.Replicas == 0:
				obs.Verdicts["pods-rejected"] = "fine"
			default:
				obs.Verdicts["pods-rejected"] = "undetermined: no pod made and no refusal recorded"
			}
			if o.Kind == "StatefulSet" {
				service, _ := spec["serviceName"].(string)
				for _, p := range mine {
					if podReady(p) && !(headless[service] && hostnames[service][p.Name]) {
						obs.NoDNS = append(obs.NoDNS, p.Name)
					}
				}
				switch {
				case obs.ReadyPods == 0:
					obs.Verdicts["no-pod-dns"] = "undetermined: no pod is Ready"
				case len(obs.NoDNS) > 0:
					obs.Verdicts["no-pod-dns"] = "broken"
				default:
					obs.Verdicts["no-pod-dns"] = "fine"
				}
			}
		case o.Kind == "Service":
			selector, _ := spec["selector"].(map[string]any)
			kind, _ := spec["type"].(string)
			if len(selector) == 0 || kind == "ExternalName" {
				obs.Verdicts["no-endpoints"] = "undetermined: no selector, endpoints are the user's"
				break
			}
			if key, ok := unknownKey(selector, created); ok {
				obs.Verdicts["no-endpoints"] = fmt.Sprintf("undetermined: no pod template of the scene has the label %q (set at run time, or pods another controller makes)", key)
				break
			}
			ports, _ := spec["ports"].([]any)
			for _, p := range ports {
				port, _ := p.(map[string]any)
				name, _ := port["name"].(string)
				if endpoints[o.Name][name] == 0 {
					obs.PortsWithoutEndpoints = append(obs.PortsWithoutEndpoints, fmt.Sprintf("%q", name))
				}
			}
			// A headless Service may have no ports: its slices list the addresses alone.
			if len(ports) == 0 && addresses[o.Name] == 0 {
				obs.PortsWithoutEndpoints = append(obs.PortsWithoutEndpoints, "(no ports)")
			}
			switch {
			case len(obs.PortsWithoutEndpoints) > 0 && !settled:
				obs.Verdicts["no-endpoints"] = fmt.Sprintf("undetermined: %d of the scene's %d pods Ready (%d wanted)", ready, running, want)
			case len(obs.PortsWithoutEndpoints) > 0:
				obs.Verdicts["no-endpoints"] = "broken"
			default:
				obs.Verdicts["no-endpoints"] = "fine"
			}
		case o.Kind == "PodDisruptionBudget":
			judgeBudget(ctx, clients, ns, o, obs, pods.Items)
		}
	}
	return nil
}

// unknownKey is a selector key that no pod template among objects carries: pods the box cannot
// make (labelled at run time by the application, made by an operator) would have it.
func unknownKey(selector map[string]any, objects []*object) (string, bool) {
	keys := map[string]bool{}
	for _, o := range objects {
		var tree struct {
			Metadata struct {
				Labels map[string]any `json:"labels"`
			} `json:"metadata"`
			Spec struct {
				Template struct {
					Metadata struct {
						Labels map[string]any `json:"labels"`
					} `json:"metadata"`
				} `json:"template"`
			} `json:"spec"`
		}
		if yaml.Unmarshal(o.raw, &tree) != nil {
			continue
		}
		labels := tree.Spec.Template.Metadata.Labels
		if o.Kind == "Pod" {
			labels = tree.Metadata.Labels
		}
		for k := range labels {
			keys[k] = true
		}
	}
	for _, k := range slices.Sorted(maps.Keys(selector)) {
		if !keys[k] {
			return k, true
		}
	}
	return "", false
}

// judgeBudget reads the budget's status once every pod it selects is Ready, and asks for an
// eviction (dry run) of one of them.
func judgeBudget(ctx context.Context, clients *kubernetes.Clientset, ns string, o *object, obs *observed, pods []corev1.Pod) {
	pdb, err := clients.PolicyV1().PodDisruptionBudgets(ns).Get(ctx, o.Name, metav1.GetOptions{})
	if err != nil {
		obs.Verdicts["evictions-blocked"] = "undetermined: " + err.Error()
		return
	}
	selector, err := metav1.LabelSelectorAsSelector(pdb.Spec.Selector)
	if err != nil {
		obs.Verdicts["evictions-blocked"] = "undetermined: " + err.Error()
		return
	}
	var selected []corev1.Pod
	for _, p := range pods {
		if selector.Matches(labels.Set(p.Labels)) {
			selected = append(selected, p)
		}
	}
	if len(selected) == 0 {
		obs.Verdicts["evictions-blocked"] = "undetermined: the budget selects no pod"
		return
	}
	for _, p := range selected {
		if !podReady(&p) {
			obs.Verdicts["evictions-blocked"] = "undetermined: a pod it selects is not Ready"
			return
		}
	}
	// The disruption controller's view of the pods: every selected pod counted, and healthy.
	counted := func() bool {
		return pdb.Status.ObservedGeneration >= pdb.Generation && int(pdb.Status.ExpectedPods) == len(selected) && int(pdb.Status.CurrentHealthy) == len(selected)
	}
	for i := 0; i < 40 && !counted(); i++ {
		time.Sleep(250 * time.Millisecond)
		if pdb, err = clients.PolicyV1().PodDisruptionBudgets(ns).Get(ctx, o.Name, metav1.GetOptions{}); err != nil {
			obs.Verdicts["evictions-blocked"] = "undetermined: " + err.Error()
			return
		}
	}
	obs.ExpectedPods, obs.DisruptionsAllowed = int(pdb.Status.ExpectedPods), int(pdb.Status.DisruptionsAllowed)
	if !counted() {
		obs.Verdicts["evictions-blocked"] = fmt.Sprintf("undetermined: the disruption controller counts %d pods, %d healthy, of the %d Ready ones it selects", pdb.Status.ExpectedPods, pdb.Status.CurrentHealthy, len(selected))
		return
	}
	eviction := &policyv1.Eviction{
		ObjectMeta:    metav1.ObjectMeta{Name: selected[0].Name, Namespace: ns},
		DeleteOptions: &metav1.DeleteOptions{DryRun: []string{metav1.DryRunAll}},
	}
	err = clients.PolicyV1().Evictions(ns).Evict(ctx, eviction)
	// A verdict holds only if it holds a moment later too, with the pod still Ready and the
	// budget's count unchanged: the disruption controller and kwok may be mid-update.
	time.Sleep(time.Second)
	again := clients.PolicyV1().Evictions(ns).Evict(ctx, eviction)
	later, getErr := clients.PolicyV1().PodDisruptionBudgets(ns).Get(ctx, o.Name, metav1.GetOptions{})
	pod, podErr := clients.CoreV1().Pods(ns).Get(ctx, selected[0].Name, metav1.GetOptions{})
	if (err == nil) != (again == nil) || getErr != nil || podErr != nil || !podReady(pod) ||
		later.Status.DisruptionsAllowed != pdb.Status.DisruptionsAllowed || later.Status.CurrentHealthy != pdb.Status.CurrentHealthy || later.Status.ExpectedPods != pdb.Status.ExpectedPods {
		obs.Eviction = fmt.Sprintf("unsteady: %v, then %v", err, again)
		obs.Verdicts["evictions-blocked"] = "undetermined: the eviction's outcome or the budget's count changed within a second"
		return
	}
	switch {
	case err == nil:
		obs.Eviction = "allowed"
		obs.Verdicts["evictions-blocked"] = "fine"
	case apierrors.IsTooManyRequests(err):
		obs.Eviction = "refused: " + err.Error()
		obs.Verdicts["evictions-blocked"] = "broken"
	default:
		obs.Eviction = "error: " + err.Error()
		obs.Verdicts["evictions-blocked"] = "undetermined: " + err.Error()
	}
}

// lintScenes runs stslint on each scene alone, so that the links it checks are the ones the
// scene has, and hangs the findings on the scene's objects' run-time records.
func lintScenes(stslint string, all []*scene) error {
	for _, s := range all {
		var objects []*object
		for _, o := range s.Objects {
			if o.Runtime != nil {
				objects = append(objects, o)
			}
		}
		if len(objects) == 0 {
			continue
		}
		findings, err := runStslint(stslint, s.Files)
		if err != nil {
			return err
		}
		attach(findings, objects, func(o *object, f finding) { o.Runtime.Findings = append(o.Runtime.Findings, f) })
	}
	return nil
}
