package cluster

// The rest of the control plane, as child processes built from the same modules: the
// controller manager (k8s.io/kubernetes, with the controllers stateful workloads depend on),
// the scheduler, and kwok (sigs.k8s.io/kwok) playing the kubelet of a few fake nodes.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Controllers the controller manager runs: the workload controllers, the ones that link a
// workload to its Services, budgets and claims, and the ones that clean a namespace away.
var Controllers = []string{
	"statefulset-controller",
	"deployment-controller",
	"replicaset-controller",
	"daemonset-controller",
	"job-controller",
	"cronjob-controller",
	"endpointslice-controller",
	"disruption-controller",
	"garbage-collector-controller",
	"namespace-controller",
	"serviceaccount-controller",
	"persistentvolume-binder-controller",
	// Takes the not-ready taint off a node once kwok reports it Ready (and watches its lease).
	"node-lifecycle-controller",
}

// KwokStages is the file, beside the binaries, holding kwok's stages (its "fast" node and pod
// lifecycles, copied from the kwok module by conformance/build.sh).
const KwokStages = "kwok-stages.yaml"

// component is a child process; it dies with the cluster (SIGKILL on the parent's death).
type component struct {
	name    string
	command *exec.Cmd
	exited  chan error
}

func startComponent(dir, name string, args ...string) (*component, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(filepath.Dir(self), name)
	log, err := os.Create(filepath.Join(dir, name+".log"))
	if err != nil {
		return nil, err
	}
	command := exec.Command(bin, args...)
	command.Stdout, command.Stderr = log, log
	command.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := command.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("%s: %w (built by conformance/build.sh)", name, err)
	}
	c := &component{name: name, command: command, exited: make(chan error, 1)}
	go func() {
		c.exited <- command.Wait()
		log.Close()
	}()
	return c, nil
}

// failed says whether the component has stopped, with the tail of its log.
func (c *component) failed(dir string) error {
	select {
	case err := <-c.exited:
		c.exited <- err
		text, _ := os.ReadFile(filepath.Join(dir, c.name+".log"))
		if len(text) > 3000 {
			text = text[len(text)-3000:]
		}
		return fmt.Errorf("%s stopped (%v):\n%s", c.name, err, text)
	default:
		return nil
	}
}

func (c *component) stop() {
	_ = c.command.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.exited:
	case <-time.After(10 * time.Second):
		_ = c.command.Process.Kill()
		<-c.exited
	}
}

// startComponents starts the controller manager, the scheduler and kwok against kubeconfig.
func startComponents(dir, kubeconfig string) ([]*component, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	stages := filepath.Join(filepath.Dir(self), KwokStages)
	specs := [][]string{
		{"kube-controller-manager",
			"--kubeconfig=" + kubeconfig,
			"--leader-elect=false",
			"--secure-port=0",
			"--controllers=" + strings.Join(Controllers, ","),
			"--concurrent-statefulset-syncs=10",
			// The client's default 20 requests a second leaves a busy judge's scenes without
			// pods for longer than it waits (kwokctl lifts the limit the same way).
			"--kube-api-qps=5000",
			"--kube-api-burst=10000",
			"--v=1",
		},
		{"kube-scheduler",
			"--kubeconfig=" + kubeconfig,
			"--leader-elect=false",
			"--secure-port=0",
			"--kube-api-qps=5000",
			"--kube-api-burst=10000",
			"--v=1",
		},
		{"kwok",
			"--kubeconfig=" + kubeconfig,
			"--config=" + stages,
			"--manage-all-nodes=true",
			// Pod addresses outside the service range (10.0.0.0/16).
			"--cidr=10.244.0.0/16",
			"--node-ip=10.255.0.1",
		},
	}
	var started []*component
	for _, spec := range specs {
		c, err := startComponent(dir, spec[0], spec[1:]...)
		if err != nil {
			for _, s := range started {
				s.stop()
			}
			return nil, err
		}
		started = append(started, c)
	}
	return started, nil
}
