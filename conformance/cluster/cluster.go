// Package cluster runs a Kubernetes control plane on loopback only: etcd (embedded,
// go.etcd.io/etcd/server/v3) and kube-apiserver (k8s.io/kubernetes's own command) in this
// process, on free ports, with certificates the API server generates for itself, a
// service-account signing key made here, and a kubeconfig in the cluster's directory; then the
// controller manager, the scheduler and kwok's fake nodes as child processes (components.go).
package cluster

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

// Kubeconfig is the file, in the cluster's directory, that clients connect with.
const Kubeconfig = "kubeconfig"

// Ready is written once the API server answers /readyz and a pod has run on a fake node.
const Ready = "ready"

// Run starts etcd and kube-apiserver with their state under dir, writes dir/kubeconfig and
// dir/ready once the API server is ready, and returns when the API server stops (SIGTERM or
// SIGINT, which the API server's own command handles). etcd is stopped on the way out.
func Run(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	etcd, etcdURL, err := startEtcd(filepath.Join(dir, "etcd"))
	if err != nil {
		return fmt.Errorf("etcd: %w", err)
	}
	defer etcd.Close()
	key := filepath.Join(dir, "service-account.key")
	if err := writeKey(key); err != nil {
		return err
	}
	// One user, in system:masters, known by a token made now.
	token, err := newToken()
	if err != nil {
		return err
	}
	tokens := filepath.Join(dir, "tokens.csv")
	if err := os.WriteFile(tokens, []byte(token+`,judge,judge,"system:masters"`+"\n"), 0o600); err != nil {
		return err
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	command := app.NewAPIServerCommand()
	command.SetArgs([]string{
		"--etcd-servers=" + etcdURL,
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		fmt.Sprintf("--secure-port=%d", port),
		"--cert-dir=" + filepath.Join(dir, "certs"),
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + key,
		"--service-account-signing-key-file=" + key,
		"--service-cluster-ip-range=10.0.0.0/16",
		// The judge is the only client, on loopback, allowed everything.
		"--token-auth-file=" + tokens,
		"--authorization-mode=AlwaysAllow",
		// The `kubernetes` Service's endpoints would be a loopback address, which is invalid.
		"--endpoint-reconciler-type=none",
		// As real clusters run (kubeadm, kind, the managed services): privileged pods allowed.
		"--allow-privileged=true",
		"--v=0",
	})
	done := make(chan error, 1)
	go func() { done <- command.Execute() }()
	server := fmt.Sprintf("https://127.0.0.1:%d", port)
	if err := waitReady(server, token, done); err != nil {
		return err
	}
	config := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: box
  cluster: {server: %q, insecure-skip-tls-verify: true}
users:
- name: judge
  user: {token: %q}
contexts:
- name: box
  context: {cluster: box, user: judge}
current-context: box
`, server, token)
	kubeconfig := filepath.Join(dir, Kubeconfig)
	if err := os.WriteFile(kubeconfig, []byte(config), 0o600); err != nil {
		return err
	}
	// The API server's own command handles SIGTERM and SIGINT; the other components are
	// stopped here when one arrives.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	components, err := startComponents(dir, kubeconfig)
	if err != nil {
		return err
	}
	stopped := make(chan struct{})
	go func() {
		select {
		case <-signals:
		case err := <-done:
			done <- err
		}
		for _, c := range components {
			c.stop()
		}
		close(stopped)
	}()
	if err := prepare(dir, kubeconfig, components); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, Ready), []byte(server+"\n"), 0o600); err != nil {
		return err
	}
	err = <-done
	<-stopped
	return err
}

// prepare makes the nodes, starts the provisioner and waits until a pod runs.
func prepare(dir, kubeconfig string, components []*component) error {
	config, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return err
	}
	clients, err := kubernetes.NewForConfig(config)
	if err != nil {
		return err
	}
	ctx := context.Background()
	if err := createNodes(ctx, clients); err != nil {
		return err
	}
	go provision(ctx, clients)
	deadline := time.Now().Add(3 * time.Minute)
	check := make(chan error, 1)
	go func() { check <- smokeTest(ctx, clients, deadline) }()
	for {
		select {
		case err := <-check:
			return err
		case <-time.After(500 * time.Millisecond):
			for _, c := range components {
				if err := c.failed(dir); err != nil {
					return err
				}
			}
		}
	}
}

func startEtcd(dir string) (*embed.Etcd, string, error) {
	clientPort, err := freePort()
	if err != nil {
		return nil, "", err
	}
	peerPort, err := freePort()
	if err != nil {
		return nil, "", err
	}
	config := embed.NewConfig()
	config.Dir = dir
	config.LogLevel = "error"
	client := url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", clientPort)}
	peer := url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", peerPort)}
	config.ListenClientUrls = []url.URL{client}
	config.AdvertiseClientUrls = []url.URL{client}
	config.ListenPeerUrls = []url.URL{peer}
	config.AdvertisePeerUrls = []url.URL{peer}
	config.InitialCluster = config.InitialClusterFromName(config.Name)
	etcd, err := embed.StartEtcd(config)
	if err != nil {
		return nil, "", err
	}
	select {
	case <-etcd.Server.ReadyNotify():
		return etcd, client.String(), nil
	case <-time.After(60 * time.Second):
		etcd.Close()
		return nil, "", fmt.Errorf("not ready within 60 s")
	}
}

// freePort is a loopback port free now (the kernel's choice).
func freePort() (int, error) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer listener.Close()
	return listener.Addr().(*net.TCPAddr).Port, nil
}

func newToken() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func writeKey(path string) error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	block := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	return os.WriteFile(path, block, 0o600)
}

// waitReady polls /readyz (self-signed certificate, loopback) for up to three minutes.
func waitReady(server, token string, done <-chan error) error {
	client := &http.Client{
		Timeout:   2 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},
	}
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			return fmt.Errorf("kube-apiserver stopped before it was ready: %v", err)
		default:
		}
		request, _ := http.NewRequest(http.MethodGet, server+"/readyz", nil)
		request.Header.Set("Authorization", "Bearer "+token)
		response, err := client.Do(request)
		if err == nil {
			response.Body.Close()
			if response.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("kube-apiserver not ready within 3 minutes")
}
