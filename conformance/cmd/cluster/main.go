// Command cluster starts a Kubernetes control plane on loopback and stops it:
//
//	cluster up DIR     runs it until stopped; DIR/kubeconfig is written once it is ready
//	cluster down DIR   stops the one running in DIR and removes DIR
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"stslint.dev/conformance/cluster"
)

func main() {
	if len(os.Args) != 3 || (os.Args[1] != "up" && os.Args[1] != "down") {
		fmt.Fprintln(os.Stderr, "usage: cluster up|down DIR")
		os.Exit(2)
	}
	dir := os.Args[2]
	var err error
	if os.Args[1] == "up" {
		err = up(dir)
	} else {
		err = down(dir)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "cluster %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func up(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	pid := filepath.Join(dir, "pid")
	if err := os.WriteFile(pid, []byte(strconv.Itoa(os.Getpid())), 0o600); err != nil {
		return err
	}
	return cluster.Run(dir)
}

func down(dir string) error {
	text, err := os.ReadFile(filepath.Join(dir, "pid"))
	if err != nil {
		return fmt.Errorf("no cluster in %s: %w", dir, err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(text)))
	if err != nil {
		return err
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err == nil {
		// The API server drains for a few seconds, then etcd stops.
		for i := 0; i < 150 && syscall.Kill(pid, 0) == nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
		if syscall.Kill(pid, 0) == nil {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
	return os.RemoveAll(dir)
}
