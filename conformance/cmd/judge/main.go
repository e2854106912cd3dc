// Command judge runs stslint and a real API server on the same inputs and compares them object
// by object. The API server's verdict is a server-side dry-run create with strict field
// validation, of the very bytes of each document (so that it decodes them itself: duplicate
// keys, YAML 1.1 scalars, unknown fields). Each stslint finding's claim comes from its rule
// (`stslint rules --format json`); this round checks the claim `apply-rejected` in both
// directions: every object the server rejects must carry such a finding, and every such
// finding must sit on an object the server rejects.
//
//	judge [--stslint BIN] [--cluster BIN] [--rules DIR] [--report FILE] [--json FILE] PATH...
//
// It exits 1 when a finding claims what the cluster contradicts, 2 when it cannot run.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/yaml"

	"stslint.dev/conformance/cluster"
)

// KubernetesVersion is the control plane's (go.mod pins k8s.io/kubernetes at it).
const KubernetesVersion = "v1.35.4"

// The namespace objects without one are judged in.
const namespace = "stslint-judge"

type object struct {
	File      string
	Index     int // document index in the file
	Kind      string
	Name      string
	Namespace string
	raw       []byte
	gvk       schema.GroupVersionKind
	// The cluster's verdict.
	Verdict string   // accepted, rejected, unserved
	Message string   // the API server's message when rejected
	Fields  []string // the fields its causes name
	// stslint's findings on this object, and those whose rule claims apply-rejected.
	Findings []finding
	// For a mutated object: what was changed.
	Variant *variant `json:",omitempty"`
	// What the cluster did with it when its scene was deployed (runtime.go).
	Runtime *observed `json:",omitempty"`
	// What Helm did with it, for a hook (hooks.go).
	Hook *hookObserved `json:",omitempty"`
	// Fields sent with a value that the accepted object, as the API server would store it,
	// does not have (dropped.go).
	Dropped []string `json:",omitempty"`
	// What the API server did with it with its suite's policies installed (policies.go).
	Policy *policyObserved `json:",omitempty"`
}

type finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Path     string `json:"path"`
	// What this finding claims, when it says (else its rule's claim).
	Claim  string `json:"claim"`
	Object *struct {
		Kind      string  `json:"kind"`
		Name      string  `json:"name"`
		Namespace *string `json:"namespace"`
	} `json:"object"`
}

// claim is what the finding claims about the cluster: its own, else its rule's.
func (f finding) claim(rules map[string]rule) string {
	if f.Claim != "" {
		return f.Claim
	}
	return rules[f.Rule].Claim
}

type rule struct {
	ID       string  `json:"id"`
	Severity string  `json:"severity"`
	Enabled  bool    `json:"enabled"`
	Claim    string  `json:"claim"`
	Invalid  *string `json:"invalid"`
	Valid    *string `json:"valid"`
	Previous *string `json:"previous"`
}

func main() {
	code, err := run()
	if err != nil {
		fmt.Fprintf(os.Stderr, "judge: %v\n", err)
		os.Exit(2)
	}
	os.Exit(code)
}

func run() (int, error) {
	stslint := flag.String("stslint", "target/release/stslint", "the stslint binary")
	clusterBin := flag.String("cluster", "", "the cluster binary (default: beside this one)")
	rulesExamples := flag.Bool("rule-examples", true, "also judge every rule's invalid example")
	report := flag.String("report", "", "write the Markdown report here")
	jsonOut := flag.String("json", "", "write every object's verdict and findings here, as JSON")
	mutations := flag.Int("mutate", 0, "also judge this many single-field mutations of the base objects")
	seed := flag.Uint64("seed", 1, "the mutations' seed")
	basesFlag := flag.String("bases", "examples/lab,../shared/corpus", "comma-separated paths whose objects are mutated")
	workDir := flag.String("work", "target/judge", "scratch directory (emptied first): the cluster, the rule examples")
	runtime := flag.Bool("runtime", true, "also deploy each scene for real and judge the run-time claims")
	runtimeMutations := flag.Int("runtime-mutations", 500, "deploy this many of the accepted mutations among the rest of their chart")
	workers := flag.Int("scene-workers", 16, "scenes deployed at once")
	previousFlag := flag.String("previous", "", "a previous render (file or directory): each object of PATH... that is also in it is judged as an update of it")
	peersFlag := flag.Bool("peers", true, "also run kubeconform and kube-score (beside the judge) on the same files")
	baseline := flag.String("baseline", "", "a committed report: fail when the run-time agreement or recall of a claim falls below it")
	hooks := flag.Bool("hooks", true, "also take every Helm hook through install, upgrade, uninstall, install and test, with Helm 3 and Helm 4")
	hookMutations := flag.Int("hook-mutations", 60, "also take this many changes of the bases' hook annotations through the same")
	claimsFlag := flag.Bool("claims", true, "also play each accepted scale-down of a StatefulSet with claim templates for real and watch its claims")
	policiesFlag := flag.Bool("policies", true, "also install each suite of ValidatingAdmissionPolicies and CustomResourceDefinitions and judge its objects under them")
	policyMutations := flag.Int("policy-mutations", 600, "also judge this many policy-relevant variants of the bases under the mutated suite's policies")
	mutatedSuite := flag.String("policy-suite", "tests/fixtures/policies/stateful", "the suite whose policies judge the policy mutations")
	updates := flag.Bool("updates", true, "also judge updates: --previous, the upgrade rules' examples and each accepted mutation as a new version of its base")
	// Flags may come after the paths too (`judge examples --runtime=false`).
	var inputs []string
	for rest := os.Args[1:]; ; {
		_ = flag.CommandLine.Parse(rest) // exits on a bad flag (ExitOnError)
		if flag.NArg() == 0 {
			break
		}
		inputs = append(inputs, flag.Arg(0))
		rest = flag.Args()[1:]
	}
	if len(inputs) == 0 {
		return 0, errors.New("usage: judge [flags] PATH...")
	}
	started := time.Now()
	rules, err := loadRules(*stslint)
	if err != nil {
		return 0, err
	}
	// A fixed place, so that the report names the rule examples the same way on every run.
	work := *workDir
	if err := os.RemoveAll(work); err != nil {
		return 0, err
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return 0, err
	}
	paths := slices.Clone(inputs)
	if *rulesExamples {
		dir, err := writeExamples(work, rules)
		if err != nil {
			return 0, err
		}
		paths = append(paths, dir)
	}
	files, err := manifests(paths)
	if err != nil {
		return 0, err
	}
	objects, skipped := split(files)

	if *clusterBin == "" {
		self, _ := os.Executable()
		*clusterBin = filepath.Join(filepath.Dir(self), "cluster")
	}
	up := time.Now()
	config, stop, err := startCluster(*clusterBin, filepath.Join(work, "cluster"))
	if err != nil {
		return 0, err
	}
	defer stop()
	upTime := time.Since(up)
	judged := time.Now()
	if err := judge(config, objects); err != nil {
		return 0, err
	}
	if *mutations > 0 {
		var bases []*object
		for _, o := range objects {
			for _, b := range strings.Split(*basesFlag, ",") {
				if strings.HasPrefix(o.File, strings.TrimSuffix(b, "/")) {
					bases = append(bases, o)
					break
				}
			}
		}
		variants, err := mutate(bases, *mutations, *seed, filepath.Join(work, "mutations"))
		if err != nil {
			return 0, err
		}
		var mutated []string
		byFile := map[string]*variant{}
		for i := range variants {
			mutated = append(mutated, variants[i].File)
			byFile[variants[i].File] = &variants[i]
		}
		more, skippedMore := split(mutated)
		for _, o := range more {
			o.Variant = byFile[o.File]
		}
		if err := judge(config, more); err != nil {
			return 0, err
		}
		files = append(files, mutated...)
		objects = append(objects, more...)
		skipped += skippedMore
	}
	judgeTime := time.Since(judged)
	linted := time.Now()
	if err := lint(*stslint, files, objects); err != nil {
		return 0, err
	}
	lintTime := time.Since(linted)
	var peers []*peerResult
	if *peersFlag {
		self, _ := os.Executable()
		if peers, err = runPeers(config, filepath.Dir(self), work, files, objects, rules, lintTime); err != nil {
			return 0, err
		}
	}
	var upgrades []*update
	updatesTime := time.Duration(0)
	if *updates {
		started := time.Now()
		upgrades, err = collectUpdates(config, work, rules, objects, *previousFlag, inputs)
		if err != nil {
			return 0, err
		}
		if err := judgeUpdates(config, upgrades, 8); err != nil {
			return 0, err
		}
		if err := lintUpdates(*stslint, upgrades, 2); err != nil {
			return 0, err
		}
		updatesTime = time.Since(started)
	}
	var charts []*hookChart
	hooksTime := time.Duration(0)
	if *hooks {
		started := time.Now()
		if charts, err = hookCharts(config, objects, filepath.Join(work, "hook-charts")); err != nil {
			return 0, err
		}
		mutants, err := hookMutants(objects, strings.Split(*basesFlag, ","), *hookMutations, *stslint, filepath.Join(work, "hook-mutations"))
		if err != nil {
			return 0, err
		}
		charts = append(charts, mutants...)
		self, _ := os.Executable()
		kubeconfig, _ := filepath.Abs(filepath.Join(work, "cluster", cluster.Kubeconfig))
		if err := runHookCharts(config, kubeconfig, filepath.Dir(self), work, charts, 16); err != nil {
			return 0, err
		}
		hooksTime = time.Since(started)
	}
	// The policy suites' objects are judged under their policies (policies.go), never deployed
	// among the scenes: a binding would act on every scene.
	suites := policySuites(objects)
	inSuite := map[string]bool{}
	for _, s := range suites {
		for _, f := range s.Files {
			inSuite[f] = true
		}
	}
	var deployed []*scene
	deployedTime := time.Duration(0)
	if *runtime {
		started := time.Now()
		deployed = scenes(slices.DeleteFunc(slices.Clone(objects), func(o *object) bool { return inSuite[o.File] }))
		more, err := mutantScenes(objects, *runtimeMutations, filepath.Join(work, "scenes"))
		if err != nil {
			return 0, err
		}
		deployed = append(deployed, more...)
		if err := runScenes(config, deployed, *workers); err != nil {
			return 0, err
		}
		if err := lintScenes(*stslint, deployed); err != nil {
			return 0, err
		}
		deployedTime = time.Since(started)
	}

	var cases []*claimsCase
	var removed []*removal
	claimsTime := time.Duration(0)
	if *claimsFlag && *updates {
		started := time.Now()
		cases = claimCases(upgrades)
		if err := runClaimCases(config, cases, 8); err != nil {
			return 0, err
		}
		var bases []*object
		for _, o := range objects {
			for _, b := range strings.Split(*basesFlag, ",") {
				if strings.HasPrefix(o.File, strings.TrimSuffix(b, "/")) {
					bases = append(bases, o)
					break
				}
			}
		}
		if removed, err = removals(work, rules, bases, 4); err != nil {
			return 0, err
		}
		if err := lintRemovals(*stslint, removed); err != nil {
			return 0, err
		}
		if err := runRemovals(config, removed, 8); err != nil {
			return 0, err
		}
		claimsTime = time.Since(started)
	}
	policiesTime := time.Duration(0)
	if *policiesFlag && len(suites) > 0 {
		started := time.Now()
		for _, s := range suites {
			if s.Name != strings.TrimSuffix(*mutatedSuite, "/") || *policyMutations == 0 {
				continue
			}
			var bases []*object
			for _, o := range objects {
				for _, b := range strings.Split(*basesFlag, ",") {
					if strings.HasPrefix(o.File, strings.TrimSuffix(b, "/")) {
						bases = append(bases, o)
						break
					}
				}
			}
			more, err := policyMutants(bases, *policyMutations, *seed, filepath.Join(work, "policy-mutations"))
			if err != nil {
				return 0, err
			}
			s.Files = append(s.Files, more...)
		}
		if err := runPolicySuites(config, *stslint, suites); err != nil {
			return 0, err
		}
		policiesTime = time.Since(started)
	} else {
		suites = nil
	}

	result := compare(objects, rules)
	result.Policies = comparePolicies(suites, rules)
	result.Claims = compareClaims(cases, rules)
	result.Removals = compareRemovals(removed, rules)
	result.Runtime = compareRuntime(deployed, rules)
	result.Updates = compareUpdates(upgrades, rules)
	result.Hooks = compareHooks(charts, rules)
	result.Dropped = compareDropped(objects, rules)
	result.Rules = perRule(objects, upgrades, deployed, charts, suites, cases, removed, rules, work)
	result.Peers = peers
	result.Mutations, result.Seed = *mutations, *seed
	result.Files = len(files)
	result.Skipped = skipped
	result.Times = fmt.Sprintf("cluster up %.1f s, API server verdicts %.1f s, stslint %.2f s, %d updates %.1f s, %d hook charts %.1f s, %d scenes deployed %.1f s, %d scale-downs and %d removals %.1f s, %d policy suites %.1f s, in all %.1f s",
		upTime.Seconds(), judgeTime.Seconds(), lintTime.Seconds(), len(upgrades), updatesTime.Seconds(), len(charts), hooksTime.Seconds(), len(deployed), deployedTime.Seconds(), len(cases), len(removed), claimsTime.Seconds(), len(suites), policiesTime.Seconds(), time.Since(started).Seconds())
	text := result.markdown()
	fmt.Print(result.table())
	fmt.Print(result.Policies.table())
	if *report != "" {
		if err := os.WriteFile(*report, []byte(text), 0o644); err != nil {
			return 0, err
		}
	}
	if *jsonOut != "" {
		all := slices.Clone(objects)
		for _, s := range suites {
			all = append(all, s.Objects...)
		}
		data, _ := json.MarshalIndent(all, "", " ")
		if err := os.WriteFile(*jsonOut, data, 0o644); err != nil {
			return 0, err
		}
	}
	// One verdict per object: passed unless one of its findings claims what the cluster
	// contradicts.
	failed := len(result.FalseClaims) + len(result.Runtime.FalseClaims) + len(result.Updates.FalseClaims) + len(result.Hooks.FalseClaims) + len(result.Dropped.FalseClaims) + len(result.Policies.FalseClaims) + len(result.Claims.FalseClaims) + len(result.Removals.FalseClaims)
	// Only meaningful on a whole run: with the rule examples, the updates, the hooks and the
	// run time.
	if *rulesExamples && *updates && *runtime && *hooks {
		if missing := unconfirmed(result.Rules, rules); len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "judge: error-severity rules whose claim the cluster did not confirm on their invalid example: %s\n", strings.Join(missing, ", "))
			failed += len(missing)
		}
	}
	if *baseline != "" && *runtime {
		fell, err := result.Runtime.belowBaseline(*baseline)
		if err != nil {
			return 0, err
		}
		for _, f := range fell {
			fmt.Fprintf(os.Stderr, "judge: run-time agreement fell below %s: %s\n", *baseline, f)
		}
		failed += len(fell)
	}
	fmt.Printf("judge: %d passed, %d failed\n", result.Objects+result.Runtime.Objects+result.Updates.Pairs+result.Hooks.Objects-failed, failed)
	if len(result.FalseClaims) > 0 {
		fmt.Fprintf(os.Stderr, "judge: %d finding(s) claim a rejection the API server did not make\n", len(result.FalseClaims))
	}
	if len(result.Runtime.FalseClaims) > 0 {
		fmt.Fprintf(os.Stderr, "judge: %d finding(s) claim a run-time failure the cluster did not show\n", len(result.Runtime.FalseClaims))
	}
	if len(result.Dropped.FalseClaims) > 0 {
		fmt.Fprintf(os.Stderr, "judge: %d object(s) with a finding claiming a dropped field the API server kept\n", len(result.Dropped.FalseClaims))
	}
	if len(result.Hooks.FalseClaims) > 0 {
		fmt.Fprintf(os.Stderr, "judge: %d finding(s) claim of a Helm hook what Helm did not do\n", len(result.Hooks.FalseClaims))
	}
	if len(result.Updates.FalseClaims) > 0 {
		fmt.Fprintf(os.Stderr, "judge: %d finding(s) claim an update refusal the API server did not make\n", len(result.Updates.FalseClaims))
	}
	if failed > 0 {
		return 1, nil
	}
	return 0, nil
}

// loadRules reads every rule's claim and examples from stslint itself.
func loadRules(stslint string) (map[string]rule, error) {
	out, err := exec.Command(stslint, "rules", "--format", "json").Output()
	if err != nil {
		return nil, fmt.Errorf("%s rules: %w", stslint, err)
	}
	var list []rule
	if err := json.Unmarshal(out, &list); err != nil {
		return nil, err
	}
	rules := map[string]rule{}
	for _, r := range list {
		if r.Claim == "" {
			return nil, fmt.Errorf("rule %s states no claim", r.ID)
		}
		rules[r.ID] = r
	}
	return rules, nil
}

// writeExamples writes each rule's invalid example (upgrade rules excepted: they compare two
// versions) as rule-examples/<id>.yaml.
func writeExamples(work string, rules map[string]rule) (string, error) {
	dir := filepath.Join(work, "rule-examples")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	for id, r := range rules {
		if r.Invalid == nil || r.Previous != nil {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, id+".yaml"), []byte(*r.Invalid), 0o644); err != nil {
			return "", err
		}
	}
	return dir, nil
}

// manifests lists the files under paths as stslint walks them: .yaml, .yml and .json, hidden
// directories and a chart's templates skipped, in a stable order.
func manifests(paths []string) ([]string, error) {
	var files []string
	for _, root := range paths {
		err := filepath.WalkDir(root, func(path string, entry fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			name := entry.Name()
			if entry.IsDir() {
				if path != root && strings.HasPrefix(name, ".") {
					return filepath.SkipDir
				}
				if name == "templates" {
					if _, err := os.Stat(filepath.Join(filepath.Dir(path), "Chart.yaml")); err == nil {
						return filepath.SkipDir
					}
				}
				return nil
			}
			if entry.Type().IsRegular() {
				switch filepath.Ext(name) {
				case ".yaml", ".yml", ".json":
					files = append(files, path)
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(files)
	return files, nil
}

// split reads each file's documents: those with an apiVersion and a kind are objects (List
// items each one), the rest are skipped (counted).
func split(files []string) ([]*object, int) {
	var objects []*object
	skipped := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			skipped++
			continue
		}
		reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
		for index := 0; ; index++ {
			doc, err := reader.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				skipped++
				break
			}
			var fields map[string]any
			if err := yaml.Unmarshal(doc, &fields); err != nil || fields == nil {
				skipped++
				continue
			}
			add := func(raw []byte, fields map[string]any) {
				apiVersion, _ := fields["apiVersion"].(string)
				kind, _ := fields["kind"].(string)
				if apiVersion == "" && kind == "" {
					skipped++
					return
				}
				o := &object{File: file, Index: index, Kind: kind, raw: raw}
				_, named := fields["name"]
				_, versioned := fields["version"]
				if kind == "" && named && versioned {
					skipped++ // a Helm Chart.yaml: chart metadata, never sent
					return
				}
				if apiVersion == "" || kind == "" {
					// Half an object: kubectl and Helm find no resource for it and send nothing.
					missing := "apiVersion"
					if kind == "" {
						missing, o.Kind = "kind", "(no kind)"
					}
					o.Verdict = "rejected"
					o.Message = fmt.Sprintf("%s not set: kubectl and Helm refuse the document before any request (the client's verdict)", missing)
					if m, ok := fields["metadata"].(map[string]any); ok {
						o.Name, _ = m["name"].(string)
					}
					objects = append(objects, o)
					return
				}
				if m, ok := fields["metadata"].(map[string]any); ok {
					o.Name, _ = m["name"].(string)
					o.Namespace, _ = m["namespace"].(string)
				}
				gv, err := schema.ParseGroupVersion(apiVersion)
				if err != nil {
					skipped++
					return
				}
				o.gvk = gv.WithKind(kind)
				objects = append(objects, o)
			}
			if items, ok := fields["items"].([]any); ok && strings.HasSuffix(fmt.Sprint(fields["kind"]), "List") {
				for _, item := range items {
					m, ok := item.(map[string]any)
					if !ok {
						continue
					}
					raw, _ := json.Marshal(m)
					add(raw, m)
				}
				continue
			}
			add(doc, fields)
		}
	}
	return objects, skipped
}

func startCluster(bin, dir string) (*rest.Config, func(), error) {
	logPath := dir + ".log"
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, nil, err
	}
	command := exec.Command(bin, "up", dir)
	command.Stdout = logFile
	command.Stderr = logFile
	if err := command.Start(); err != nil {
		return nil, nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- command.Wait() }()
	stop := func() {
		_ = exec.Command(bin, "down", dir).Run()
		<-exited
		logFile.Close()
	}
	deadline := time.Now().Add(4 * time.Minute)
	for {
		if _, err := os.Stat(filepath.Join(dir, cluster.Ready)); err == nil {
			break
		}
		select {
		case err := <-exited:
			log, _ := os.ReadFile(logPath)
			tail := string(log)
			if len(tail) > 4000 {
				tail = tail[len(tail)-4000:]
			}
			return nil, nil, fmt.Errorf("the cluster stopped before it was ready (%v):\n%s", err, tail)
		default:
		}
		if time.Now().After(deadline) {
			stop()
			return nil, nil, errors.New("the cluster was not ready within 4 minutes")
		}
		time.Sleep(100 * time.Millisecond)
	}
	config, err := clientcmd.BuildConfigFromFlags("", filepath.Join(dir, cluster.Kubeconfig))
	if err != nil {
		stop()
		return nil, nil, err
	}
	config.QPS = 500
	config.Burst = 1000
	config.WarningHandler = rest.NoWarnings{}
	return config, stop, nil
}

// judge asks the API server for each object's verdict: a dry-run create of its own bytes.
func judge(config *rest.Config, objects []*object) error {
	ctx := context.Background()
	clients, err := kubernetes.NewForConfig(config)
	if err != nil {
		return err
	}
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(discovery.NewDiscoveryClientForConfigOrDie(config)))
	namespaces := map[string]bool{}
	ensure := func(ns string) error {
		if namespaces[ns] {
			return nil
		}
		namespaces[ns] = true
		body := fmt.Sprintf(`{"apiVersion":"v1","kind":"Namespace","metadata":{"name":%q}}`, ns)
		err := clients.CoreV1().RESTClient().Post().AbsPath("/api/v1/namespaces").
			SetHeader("Content-Type", "application/json").Body([]byte(body)).Do(ctx).Error()
		if err != nil && !apierrors.IsAlreadyExists(err) {
			return nil // an invalid namespace name: the object's own create says why
		}
		// Pods are admitted only with the namespace's default service account: made here at
		// once rather than waiting for the service-account controller.
		sa := `{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"default"}}`
		err = clients.CoreV1().RESTClient().Post().AbsPath("/api/v1/namespaces/"+ns+"/serviceaccounts").
			SetHeader("Content-Type", "application/json").Body([]byte(sa)).Do(ctx).Error()
		if err != nil && !apierrors.IsAlreadyExists(err) {
			return err
		}
		return nil
	}
	if err := ensure(namespace); err != nil {
		return err
	}
	// Namespaces first: a namespace the judge makes for the objects in it would otherwise
	// clash with the dry run of its own manifest.
	ordered := slices.Clone(objects)
	sort.SliceStable(ordered, func(i, j int) bool {
		return ordered[i].Kind == "Namespace" && ordered[j].Kind != "Namespace"
	})
	for _, o := range ordered {
		if o.Verdict != "" {
			continue // judged without a request
		}
		mapping, err := mapper.RESTMapping(o.gvk.GroupKind(), o.gvk.Version)
		if err != nil {
			o.Verdict = "unserved"
			o.Message = fmt.Sprintf("the API server serves no %s", o.gvk)
			continue
		}
		ns := ""
		if mapping.Scope.Name() == meta.RESTScopeNameNamespace {
			ns = o.Namespace
			if ns == "" {
				ns = namespace
			}
			if err := ensure(ns); err != nil {
				return err
			}
		}
		path := collectionPath(mapping, ns)
		contentType := "application/yaml"
		if json.Valid(o.raw) {
			contentType = "application/json"
		}
		stored, err := clients.CoreV1().RESTClient().Post().AbsPath(path).
			Param("dryRun", "All").Param("fieldValidation", "Strict").
			SetHeader("Content-Type", contentType).Body(o.raw).Do(ctx).Raw()
		if err == nil {
			o.Verdict = "accepted"
			o.Dropped = dropped(o.raw, stored)
			continue
		}
		o.Verdict = "rejected"
		var status apierrors.APIStatus
		if errors.As(err, &status) {
			s := status.Status()
			o.Message = s.Message
			if s.Details != nil {
				for _, cause := range s.Details.Causes {
					o.Fields = append(o.Fields, cause.Field)
				}
			}
			if s.Reason == metav1.StatusReasonNotFound && s.Details != nil && s.Details.Kind == mapping.Resource.Resource {
				o.Verdict = "unserved"
			}
		} else {
			o.Message = err.Error()
		}
	}
	return nil
}

// lint runs stslint on the same files and hangs each finding on its object.
func lint(stslint string, files []string, objects []*object) error {
	findings, err := runStslint(stslint, files)
	if err != nil {
		return err
	}
	// No policy is installed here: policy findings are judged by the policy stage.
	findings = slices.DeleteFunc(findings, isPolicyFinding)
	attach(findings, objects, func(o *object, f finding) { o.Findings = append(o.Findings, f) })
	return nil
}

func runStslint(stslint string, files []string) ([]finding, error) {
	// Suppressions are the user's choice; the judge measures the rules.
	args := append([]string{"check", "--format", "json", "--exit-zero", "--quiet", "--no-suppressions"}, files...)
	out, err := exec.Command(stslint, args...).Output()
	if err != nil {
		return nil, fmt.Errorf("%s check: %w", stslint, err)
	}
	var report struct {
		Findings []finding `json:"findings"`
	}
	if err := json.Unmarshal(out, &report); err != nil {
		return nil, err
	}
	return report.Findings, nil
}

// attach hands each finding to the objects it is about: same file, kind and name.
func attach(findings []finding, objects []*object, add func(*object, finding)) {
	type key struct{ file, kind, name string }
	byKey := map[key][]*object{}
	byKind := map[key][]*object{}
	for _, o := range objects {
		byKey[key{o.File, o.Kind, o.Name}] = append(byKey[key{o.File, o.Kind, o.Name}], o)
		byKind[key{o.File, o.Kind, ""}] = append(byKind[key{o.File, o.Kind, ""}], o)
	}
	// A document with no apiVersion or no kind is no object to stslint either: its findings
	// name none, and go to the file's one such document.
	halves := map[string][]*object{}
	for _, o := range objects {
		if o.gvk.Empty() {
			halves[o.File] = append(halves[o.File], o)
		}
	}
	for _, f := range findings {
		if f.Object == nil {
			if list := halves[f.File]; len(list) == 1 {
				add(list[0], f)
			}
			continue
		}
		owners := byKey[key{f.File, f.Object.Kind, f.Object.Name}]
		if len(owners) == 0 && len(byKind[key{f.File, f.Object.Kind, ""}]) == 1 {
			// Named differently (a duplicated `name` key: stslint reads the first, the
			// decoder here the last): the file's one object of that kind.
			owners = byKind[key{f.File, f.Object.Kind, ""}]
		}
		for _, o := range owners {
			add(o, f)
		}
	}
}

// collectionPath is the REST path of a resource's collection: in namespace ns when it is not
// empty, cluster-wide otherwise.
func collectionPath(mapping *meta.RESTMapping, ns string) string {
	path := "/apis/" + mapping.Resource.Group + "/" + mapping.Resource.Version
	if mapping.Resource.Group == "" {
		path = "/api/" + mapping.Resource.Version
	}
	if ns != "" {
		path += "/namespaces/" + ns
	}
	return path + "/" + mapping.Resource.Resource
}
