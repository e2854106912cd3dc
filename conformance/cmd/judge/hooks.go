package main

// Helm's hooks, judged by Helm itself. Every object annotated `helm.sh/hook` becomes a chart of
// one template (the object and the other accepted, namespaced objects of its file that are no
// hooks: one hook per chart, so that another hook's failure cannot hide what this one does),
// and each Helm version built beside the judge (Helm 3 and Helm 4) takes it through the same
// release life: install, upgrade, upgrade, uninstall, install, test, test, in a namespace of its
// own. kwok
// completes hook Pods (an added stage: its own completes only Pods owned by a Job), so that Helm
// sees each hook succeed. Two claims are checked, per hook object:
//   - hook-skipped: Helm records the object neither as a hook nor in the release manifest
//     (`helm get hooks`, `helm get manifest`), and it never appears in the cluster;
//   - hook-kept: the object is still there when its hook runs again, so that the hook does not
//     run again: Helm 3's create fails because it already exists, Helm 4 applies over the
//     finished object (the same one, by its uid) and takes it for this run's. A hook deleted
//     once it ran, or deleted and made anew for its next run (Helm's default
//     `before-hook-creation`), is fine.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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

// The claims Helm's runs confirm or contradict.
var hookClaims = []string{"hook-kept", "hook-skipped"}

// The release life each hook chart goes through, and the hook events each step runs.
var hookSteps = []struct {
	Name   string
	Events []string
}{
	{"install", []string{"pre-install", "post-install"}},
	{"upgrade", []string{"pre-upgrade", "post-upgrade"}},
	{"upgrade", []string{"pre-upgrade", "post-upgrade"}},
	{"uninstall", []string{"pre-delete", "post-delete"}},
	{"install", []string{"pre-install", "post-install"}},
	{"test", []string{"test", "test-success"}},
	{"test", []string{"test", "test-success"}},
}

// The Helm versions, by the name of their binary beside the judge.
var helmVersions = []string{"helm3", "helm4"}

// A hook chart: one hook object with the other objects of its file, installed as one release.
type hookChart struct {
	Name    string
	File    string
	Objects []*object
	Hooks   []*object
	// Per Helm version: the steps' outcomes ("ok", or the error Helm printed), in order; the
	// sequence stops at the first failure.
	Steps map[string][]string
}

// What Helm did with one hook object, per Helm version, and the verdict per claim.
type hookObserved struct {
	// Per Helm version: recorded as a hook; its uid after each step ("" when absent).
	Recorded map[string]bool
	Present  map[string][]string
	// Per Helm version and claim: broken, fine, or "undetermined: why".
	PerHelm  map[string]map[string]string
	Verdicts map[string]string
}

// hookCharts makes a chart, under dir, of every accepted hook object.
func hookCharts(config *rest.Config, objects []*object, dir string) ([]*hookChart, error) {
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(discovery.NewDiscoveryClientForConfigOrDie(config)))
	byFile := map[string][]*object{}
	var files []string
	for _, o := range objects {
		if o.Variant != nil || o.Verdict != "accepted" {
			continue
		}
		mapping, err := mapper.RESTMapping(o.gvk.GroupKind(), o.gvk.Version)
		if err != nil || mapping.Scope.Name() != meta.RESTScopeNameNamespace {
			continue // cluster-wide objects would be shared by every release
		}
		if _, ok := byFile[o.File]; !ok {
			files = append(files, o.File)
		}
		byFile[o.File] = append(byFile[o.File], o)
	}
	var out []*hookChart
	for _, file := range files {
		var hooks, others []*object
		for _, o := range byFile[file] {
			if _, ok := hookAnnotation(o); ok {
				hooks = append(hooks, o)
			} else {
				others = append(others, o)
			}
		}
		for _, h := range hooks {
			c := &hookChart{File: file, Objects: append(slices.Clone(others), h), Hooks: []*object{h}, Steps: map[string][]string{}}
			c.Name = fmt.Sprintf("hooks-%03d", len(out))
			if err := writeHookChart(filepath.Join(dir, c.Name), c.Objects); err != nil {
				return nil, err
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// The changes made to a base hook's annotations: each is one mutant, a chart of its own. The
// event or policy list is the base's own; `%s` is its first item.
var hookChanges = []struct {
	Name, Annotation, Value string
}{
	{"event typo", "helm.sh/hook", "typo"},
	{"event upper case", "helm.sh/hook", "upper"},
	{"event with spaces", "helm.sh/hook", " %s "},
	{"event empty", "helm.sh/hook", ""},
	{"event trailing comma", "helm.sh/hook", "%s,"},
	{"event Helm 2 crd-install", "helm.sh/hook", "crd-install"},
	{"event Helm 2 test-failure", "helm.sh/hook", "test-failure"},
	{"policy removed", "helm.sh/hook-delete-policy", "-"},
	{"policy empty", "helm.sh/hook-delete-policy", ""},
	{"policy typo", "helm.sh/hook-delete-policy", "hook-succeded"},
	{"policy stray quote", "helm.sh/hook-delete-policy", "hook-succeeded\""},
	{"policy upper case", "helm.sh/hook-delete-policy", "Hook-Succeeded"},
	{"policy trailing comma", "helm.sh/hook-delete-policy", "hook-succeeded,"},
	{"policy unknown beside a known one", "helm.sh/hook-delete-policy", "before-hook-creation,hook-faild"},
	{"policy before-hook-creation", "helm.sh/hook-delete-policy", "before-hook-creation"},
}

// hookMutants writes, under dir, every change of hookChanges to every distinct accepted hook
// object of `bases` (at most `count` in all), each alone in a chart; stslint lints them.
func hookMutants(objects []*object, bases []string, count int, stslint, dir string) ([]*hookChart, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var hooks []*object
	for _, o := range objects {
		_, ok := hookAnnotation(o)
		if !ok || o.Variant != nil || o.Verdict != "accepted" || !slices.ContainsFunc(bases, func(b string) bool { return strings.HasPrefix(o.File, strings.TrimSuffix(b, "/")) }) {
			continue
		}
		if !seen[string(o.raw)] { // the same hook in several renders is one
			seen[string(o.raw)] = true
			hooks = append(hooks, o)
		}
	}
	var out []*hookChart
	var files []string
	var mutants []*object
	// Change by change, each on every base hook: a smaller count keeps every kind of hook.
	for n := 0; n < len(hooks)*len(hookChanges) && len(out) < count; n++ {
		o, change := hooks[n%len(hooks)], hookChanges[(n/len(hooks)+n%len(hooks))%len(hookChanges)]
		annotation, _ := hookAnnotation(o)
		var tree map[string]any
		if err := yaml.Unmarshal(o.raw, &tree); err != nil {
			continue
		}
		metadata, _ := tree["metadata"].(map[string]any)
		annotations, _ := metadata["annotations"].(map[string]any)
		delete(metadata, "namespace")
		first := strings.TrimSpace(strings.Split(annotation, ",")[0])
		value := change.Value
		switch value {
		case "typo":
			value = strings.Replace(annotation, first, typoOf(first), 1)
		case "upper":
			value = strings.ToUpper(annotation)
		case "-":
			delete(annotations, change.Annotation)
		default:
			value = strings.ReplaceAll(value, "%s", first)
		}
		if change.Value != "-" {
			annotations[change.Annotation] = value
		}
		data, err := yaml.Marshal(tree)
		if err != nil {
			return nil, err
		}
		name := filepath.Join(dir, fmt.Sprintf("%04d.yaml", len(out)))
		if err := os.WriteFile(name, data, 0o644); err != nil {
			return nil, err
		}
		m := *o
		m.File, m.Index, m.raw, m.Findings = name, 0, data, nil
		m.Variant = &variant{File: name, Base: fmt.Sprintf("%s #%d %s %s", o.File, o.Index, o.Kind, o.Name), Field: "metadata.annotations." + change.Annotation, Change: change.Name}
		c := &hookChart{Name: fmt.Sprintf("hook-mutant-%03d", len(out)), File: name, Objects: []*object{&m}, Hooks: []*object{&m}, Steps: map[string][]string{}}
		if err := writeHookChart(filepath.Join(dir, "..", "hook-charts", c.Name), c.Objects); err != nil {
			return nil, err
		}
		out = append(out, c)
		files = append(files, name)
		mutants = append(mutants, &m)
	}
	if len(files) > 0 {
		findings, err := runStslint(stslint, files)
		if err != nil {
			return nil, err
		}
		attach(findings, mutants, func(o *object, f finding) { o.Findings = append(o.Findings, f) })
	}
	return out, nil
}

// typoOf swaps two letters in the middle of a word.
func typoOf(word string) string {
	if len(word) < 4 {
		return word + "x"
	}
	b := []byte(word)
	i := len(b) / 2
	b[i], b[i+1] = b[i+1], b[i]
	if string(b) == word {
		return word + "x"
	}
	return string(b)
}

// hookAnnotation is the object's `helm.sh/hook` annotation, when it has one.
func hookAnnotation(o *object) (string, bool) {
	var tree struct {
		Metadata struct {
			Annotations map[string]any `json:"annotations"`
		} `json:"metadata"`
	}
	if yaml.Unmarshal(o.raw, &tree) != nil {
		return "", false
	}
	value, ok := tree.Metadata.Annotations["helm.sh/hook"]
	if !ok {
		return "", false
	}
	text, _ := value.(string)
	return text, true
}

// hookEvents are the events an annotation names, as Helm reads them: split at commas, trimmed,
// lower-cased.
func hookEvents(annotation string) []string {
	var out []string
	for _, e := range strings.Split(annotation, ",") {
		out = append(out, strings.ToLower(strings.TrimSpace(e)))
	}
	return out
}

// writeHookChart writes a chart whose one template is the objects (without their namespace: the
// release's is theirs), read through `.Files.Get` so that no `{{` in them is a template.
func writeHookChart(dir string, objects []*object) error {
	if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
		return err
	}
	var text []byte
	for _, o := range objects {
		var tree map[string]any
		if err := yaml.Unmarshal(o.raw, &tree); err != nil {
			return fmt.Errorf("%s #%d: %w", o.File, o.Index, err)
		}
		if metadata, ok := tree["metadata"].(map[string]any); ok {
			delete(metadata, "namespace")
		}
		y, err := yaml.Marshal(tree)
		if err != nil {
			return err
		}
		text = append(text, "---\n"...)
		text = append(text, y...)
	}
	files := map[string]string{
		"Chart.yaml":             "apiVersion: v2\nname: hooks\nversion: 0.1.0\n",
		"objects.yaml":           string(text),
		"templates/objects.yaml": "{{ .Files.Get \"objects.yaml\" }}\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// runHookCharts takes every chart through the release life with every Helm version, `workers`
// at a time.
func runHookCharts(config *rest.Config, kubeconfig, binDir, work string, charts []*hookChart, workers int) error {
	clients, err := kubernetes.NewForConfig(config)
	if err != nil {
		return err
	}
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(discovery.NewDiscoveryClientForConfigOrDie(config)))
	for _, c := range charts {
		for _, o := range c.Hooks {
			o.Hook = &hookObserved{Recorded: map[string]bool{}, Present: map[string][]string{}, PerHelm: map[string]map[string]string{}}
		}
	}
	home := filepath.Join(work, "helm-home")
	runs := len(charts) * len(helmVersions)
	if err := parallel(runs, workers, func(i int) error {
		c, helm := charts[i/len(helmVersions)], helmVersions[i%len(helmVersions)]
		return runHookChart(clients, mapper, kubeconfig, filepath.Join(binDir, helm), helm, home, filepath.Join(work, "hook-charts", c.Name), c)
	}); err != nil {
		return err
	}
	for _, c := range charts {
		for _, o := range c.Hooks {
			o.Hook.Verdicts = map[string]string{}
			for _, claim := range hookClaims {
				o.Hook.Verdicts[claim] = agreed(o.Hook.PerHelm, claim)
			}
		}
	}
	return nil
}

// agreed is the verdict every Helm version gives; a difference is undetermined, and says so.
func agreed(perHelm map[string]map[string]string, claim string) string {
	verdict := ""
	for _, helm := range helmVersions {
		v := perHelm[helm][claim]
		switch {
		case strings.HasPrefix(v, "undetermined"):
			return v
		case verdict == "":
			verdict = v
		case v != verdict:
			return fmt.Sprintf("undetermined: Helm versions differ (%s %s, %s %s)", helmVersions[0], perHelm[helmVersions[0]][claim], helmVersions[1], perHelm[helmVersions[1]][claim])
		}
	}
	return verdict
}

func runHookChart(clients *kubernetes.Clientset, mapper meta.RESTMapper, kubeconfig, helm, version, home, chart string, c *hookChart) error {
	ctx := context.Background()
	ns := fmt.Sprintf("%s-%s", c.Name, version)
	body := fmt.Sprintf(`{"apiVersion":"v1","kind":"Namespace","metadata":{"name":%q}}`, ns)
	if err := clients.CoreV1().RESTClient().Post().AbsPath("/api/v1/namespaces").
		SetHeader("Content-Type", "application/json").Body([]byte(body)).Do(ctx).Error(); err != nil {
		return err
	}
	defer func() { _ = clients.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{}) }()
	run := func(args ...string) (string, error) {
		ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
		defer cancel()
		args = append(args, "--namespace", ns, "--kubeconfig", kubeconfig)
		command := exec.CommandContext(ctx, helm, args...)
		command.Env = append(os.Environ(),
			"HELM_CACHE_HOME="+filepath.Join(home, version, "cache"),
			"HELM_CONFIG_HOME="+filepath.Join(home, version, "config"),
			"HELM_DATA_HOME="+filepath.Join(home, version, "data"))
		out, err := command.CombinedOutput()
		return string(out), err
	}
	// The uid of the object now, "" when there is none.
	present := func(o *object) string {
		mapping, err := mapper.RESTMapping(o.gvk.GroupKind(), o.gvk.Version)
		if err != nil {
			return ""
		}
		raw, err := clients.CoreV1().RESTClient().Get().AbsPath(collectionPath(mapping, ns) + "/" + o.Name).Do(ctx).Raw()
		if err != nil {
			if apierrors.IsNotFound(err) {
				return ""
			}
			return "unknown: " + err.Error()
		}
		var live metav1.PartialObjectMetadata
		if json.Unmarshal(raw, &live) != nil {
			return "unknown"
		}
		return string(live.UID)
	}
	var steps []string
	recorded := map[string]bool{}
	for i, step := range hookSteps {
		var out string
		var err error
		switch step.Name {
		case "install", "upgrade":
			out, err = run(step.Name, "release", chart, "--timeout", "60s")
		case "uninstall":
			out, err = run("uninstall", "release", "--timeout", "60s")
		case "test":
			out, err = run("test", "release", "--timeout", "60s")
		}
		outcome := "ok"
		if err != nil {
			outcome = lastLine(out)
			if outcome == "" {
				outcome = err.Error()
			}
		}
		steps = append(steps, outcome)
		if i == 0 {
			// What Helm made of each object: the hooks it recorded, the manifest it applied.
			hooks, _ := run("get", "hooks", "release")
			manifest, _ := run("get", "manifest", "release")
			for _, o := range c.Hooks {
				recorded[o.Kind+"/"+o.Name] = names(hooks)[o.Kind+"/"+o.Name] || names(manifest)[o.Kind+"/"+o.Name]
			}
		}
		for _, o := range c.Hooks {
			uid := present(o) // asked before the lock: every chart's runs share it
			o.Hook.set(func(h *hookObserved) { h.Present[version] = append(h.Present[version], uid) })
		}
		if err != nil {
			break
		}
	}
	c.setSteps(version, steps)
	for _, o := range c.Hooks {
		o.Hook.set(func(h *hookObserved) {
			h.Recorded[version] = recorded[o.Kind+"/"+o.Name]
			h.PerHelm[version] = hookVerdicts(o, steps, h.Recorded[version], h.Present[version])
		})
	}
	return nil
}

// hookVerdicts reads one object's verdicts off the steps one Helm version went through.
func hookVerdicts(o *object, steps []string, recorded bool, present []string) map[string]string {
	v := map[string]string{}
	ever := slices.ContainsFunc(present, func(uid string) bool { return uid != "" })
	switch {
	case steps[0] != "ok" && !recorded:
		v["hook-skipped"] = "undetermined: the install failed: " + steps[0]
	case !recorded && !ever:
		v["hook-skipped"] = "broken"
	default:
		v["hook-skipped"] = "fine"
	}
	if !recorded {
		v["hook-kept"] = "undetermined: Helm did not run it"
		return v
	}
	annotation, _ := hookAnnotation(o)
	events := hookEvents(annotation)
	var runs []int // the steps that run this hook
	for i, step := range hookSteps {
		if slices.ContainsFunc(step.Events, func(e string) bool { return slices.Contains(events, e) }) {
			runs = append(runs, i)
		}
	}
	switch {
	case len(runs) == 0:
		v["hook-kept"] = "undetermined: no step of install, upgrade, uninstall, test runs it"
	case runs[0] >= len(steps):
		v["hook-kept"] = "undetermined: an earlier step failed: " + steps[len(steps)-1]
	case steps[runs[0]] != "ok":
		v["hook-kept"] = "undetermined: its run failed: " + steps[runs[0]]
	case present[runs[0]] == "":
		v["hook-kept"] = "fine" // deleted once it ran
	case len(runs) == 1:
		v["hook-kept"] = "undetermined: kept, but it runs only once in install, upgrade, upgrade, uninstall, install, test, test"
	case runs[1] >= len(steps):
		v["hook-kept"] = "undetermined: an earlier step failed: " + steps[len(steps)-1]
	case steps[runs[1]] == "ok" && present[runs[1]] == present[runs[0]]:
		v["hook-kept"] = "broken" // the finished object was taken for the new run's
	case steps[runs[1]] == "ok":
		v["hook-kept"] = "fine" // kept, and made anew when it ran again
	case strings.Contains(steps[runs[1]], "already exists") && strings.Contains(steps[runs[1]], o.Name):
		v["hook-kept"] = "broken"
	default:
		v["hook-kept"] = "undetermined: its next run failed otherwise: " + steps[runs[1]]
	}
	return v
}

// names are the `Kind/name` of the objects in a manifest Helm printed.
func names(manifest string) map[string]bool {
	out := map[string]bool{}
	for _, doc := range strings.Split(manifest, "\n---") {
		var tree struct {
			Kind     string `json:"kind"`
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
		}
		if yaml.Unmarshal([]byte(doc), &tree) == nil && tree.Kind != "" {
			out[tree.Kind+"/"+tree.Metadata.Name] = true
		}
	}
	return out
}

func lastLine(text string) string {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// Guards what the Helm runs of one chart write at once.
var hookMu sync.Mutex

// Two Helm versions write one object's observations at once.
func (h *hookObserved) set(change func(*hookObserved)) {
	hookMu.Lock()
	defer hookMu.Unlock()
	change(h)
}

func (c *hookChart) setSteps(version string, steps []string) {
	hookMu.Lock()
	defer hookMu.Unlock()
	c.Steps[version] = steps
}

// hookResult is the agreement on the hook claims.
type hookResult struct {
	Charts       int
	Objects      int
	PerClaim     map[string]*tally
	Undetermined map[string]int
	Missed       []hookCase
	FalseClaims  []hookCase
	Steps        []*hookChart
}

type hookCase struct {
	Object   *object
	Claim    string
	Findings []finding
}

func compareHooks(charts []*hookChart, rules map[string]rule) *hookResult {
	r := &hookResult{Charts: len(charts), PerClaim: map[string]*tally{}, Undetermined: map[string]int{}, Steps: charts}
	for _, c := range charts {
		for _, o := range c.Hooks {
			if o.Hook == nil || o.Hook.Verdicts == nil {
				continue
			}
			r.Objects++
			for _, claim := range hookClaims {
				switch disagreement, claiming := judged(r.PerClaim, r.Undetermined, claim, o.Hook.Verdicts[claim], o.Findings, rules); disagreement {
				case "missed":
					r.Missed = append(r.Missed, hookCase{o, claim, o.Findings})
				case "false":
					r.FalseClaims = append(r.FalseClaims, hookCase{o, claim, claiming})
				}
			}
		}
	}
	return r
}

// shown is what Helm did with a hook object, in a few words.
func (h *hookObserved) shown() string {
	var parts []string
	for _, helm := range helmVersions {
		var present []string
		for i, uid := range h.Present[helm] {
			if uid != "" {
				present = append(present, fmt.Sprintf("%d", i+1))
			}
		}
		parts = append(parts, fmt.Sprintf("%s: recorded %v, present after steps [%s]; kept %s, skipped %s", helm, h.Recorded[helm], strings.Join(present, " "), h.PerHelm[helm]["hook-kept"], h.PerHelm[helm]["hook-skipped"]))
	}
	return strings.Join(parts, "; ")
}

func (r *hookResult) table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Helm hooks (%d charts, %d hook objects, %s):", r.Charts, r.Objects, strings.Join(helmVersions, " and "))
	for _, c := range hookClaims {
		t := r.PerClaim[c]
		if t == nil {
			t = &tally{}
		}
		fmt.Fprintf(&b, " %s both %d, only Helm %d, only stslint %d, silent %d, undetermined %d;", c, t.Both, t.ClusterOnly, t.StslintOnly, t.Silent, r.Undetermined[c])
	}
	fmt.Fprintf(&b, " false claims %d\n", len(r.FalseClaims))
	return b.String()
}

func (r *hookResult) markdown(b *strings.Builder) {
	b.WriteString("## Agreement on Helm hooks\n\n")
	fmt.Fprintf(b, "Each accepted, namespaced object annotated `helm.sh/hook` is a chart of one template with the other objects of its file that are no hooks, taken by %s through install, upgrade, upgrade, uninstall, install, test, test, each in a namespace of its own; kwok completes hook Pods. `hook-skipped`: Helm records the object neither as a hook nor in the manifest, and it never exists. `hook-kept`: it is still there when its hook runs again, so the hook does not run again: Helm 3's create fails because it already exists, Helm 4 applies over the finished object (the same uid) and takes it for the new run's. Kept until then and made anew (Helm's default `before-hook-creation`) is fine. Both Helm versions must agree; a difference is undetermined. %d charts, %d hook objects.\n\n",
		strings.Join(helmVersions, " and "), r.Charts, r.Objects)
	b.WriteString("| claim | both say broken | only Helm | only stslint | both silent | undetermined | agreement | recall |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, c := range hookClaims {
		t := r.PerClaim[c]
		if t == nil {
			t = &tally{}
		}
		fmt.Fprintf(b, "| %s | %d | %d | %d | %d | %d | %s | %s |\n", c, t.Both, t.ClusterOnly, t.StslintOnly, t.Silent, r.Undetermined[c], percent(t.agreement()), percent(t.recall()))
	}
	fmt.Fprintf(b, "\nFalse claims on hooks (a finding claims what Helm did not do): **%d**.\n\n", len(r.FalseClaims))
	section := func(title string, list []hookCase) {
		fmt.Fprintf(b, "### %s (%d)\n\n", title, len(list))
		if len(list) == 0 {
			b.WriteString("None.\n\n")
			return
		}
		b.WriteString("| object | claim | Helm | stslint |\n|---|---|---|---|\n")
		for _, c := range list {
			fmt.Fprintf(b, "| %s | %s | %s | %s |\n", c.Object.describe(), c.Claim, cell(c.Object.Hook.shown(), 400), cell(ruleList(c.Findings), 300))
		}
		b.WriteString("\n")
	}
	section("Broken by Helm, no finding claims it", r.Missed)
	section("False claims on hooks", r.FalseClaims)
	b.WriteString("### Every hook object\n\n| object | kept | skipped | findings |\n|---|---|---|---|\n")
	for _, c := range r.Steps {
		for _, o := range c.Hooks {
			if o.Hook == nil || o.Hook.Verdicts == nil {
				continue
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s |\n", o.describe(), cell(o.Hook.Verdicts["hook-kept"], 200), cell(o.Hook.Verdicts["hook-skipped"], 200), cell(ruleList(o.Findings), 300))
		}
	}
	b.WriteString("\n")
}

// The claims of the hook objects' findings, for the per-rule table.
func hookRuleVerdicts(charts []*hookChart, rules map[string]rule, count func(f finding, file, verdict string)) {
	for _, c := range charts {
		for _, o := range c.Hooks {
			if o.Hook == nil || o.Hook.Verdicts == nil {
				continue
			}
			countVerdicts(o.Hook.Verdicts, o.Findings, o.File, rules, count)
		}
	}
}
