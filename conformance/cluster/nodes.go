package cluster

// What the box has that a real cluster's infrastructure provides: a few nodes (played by kwok)
// and storage (every claim gets a volume made for it, as a dynamic provisioner would, and the
// controller manager's persistentvolume binder binds the two).

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
)

// Nodes is how many fake nodes the box has, one per zone: enough for the usual three
// replicas spread by anti-affinity or topology constraints.
const Nodes = 3

func createNodes(ctx context.Context, clients kubernetes.Interface) error {
	for i := 0; i < Nodes; i++ {
		name := fmt.Sprintf("judge-node-%d", i)
		capacity := corev1.ResourceList{
			corev1.ResourceCPU:              resource.MustParse("64"),
			corev1.ResourceMemory:           resource.MustParse("512Gi"),
			corev1.ResourceEphemeralStorage: resource.MustParse("1Ti"),
			corev1.ResourcePods:             resource.MustParse("500"),
		}
		node := &corev1.Node{
			ObjectMeta: metav1.ObjectMeta{
				Name: name,
				Labels: map[string]string{
					"kubernetes.io/hostname":      name,
					"kubernetes.io/os":            "linux",
					"kubernetes.io/arch":          "amd64",
					"topology.kubernetes.io/zone": fmt.Sprintf("zone-%c", 'a'+i),
					"type":                        "kwok",
				},
				Annotations: map[string]string{"kwok.x-k8s.io/node": "fake"},
			},
			Status: corev1.NodeStatus{Capacity: capacity, Allocatable: capacity},
		}
		_, err := clients.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{})
		if err != nil && !apierrors.IsAlreadyExists(err) {
			return err
		}
	}
	return nil
}

// provision gives each pending claim a volume of its size, modes and class, bound to it by
// claimRef, until ctx ends.
func provision(ctx context.Context, clients kubernetes.Interface) {
	factory := informers.NewSharedInformerFactory(clients, 0)
	claims := factory.Core().V1().PersistentVolumeClaims().Informer()
	handle := func(obj any) {
		claim, ok := obj.(*corev1.PersistentVolumeClaim)
		if !ok || claim.Spec.VolumeName != "" || claim.DeletionTimestamp != nil {
			return
		}
		size, ok := claim.Spec.Resources.Requests[corev1.ResourceStorage]
		if !ok {
			return
		}
		class := ""
		if claim.Spec.StorageClassName != nil {
			class = *claim.Spec.StorageClassName
		}
		volume := &corev1.PersistentVolume{
			ObjectMeta: metav1.ObjectMeta{Name: "pv-" + string(claim.UID)},
			Spec: corev1.PersistentVolumeSpec{
				Capacity:                      corev1.ResourceList{corev1.ResourceStorage: size},
				AccessModes:                   claim.Spec.AccessModes,
				VolumeMode:                    claim.Spec.VolumeMode,
				StorageClassName:              class,
				PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimDelete,
				PersistentVolumeSource: corev1.PersistentVolumeSource{
					HostPath: &corev1.HostPathVolumeSource{Path: "/var/lib/judge/" + string(claim.UID)},
				},
				ClaimRef: &corev1.ObjectReference{
					Kind:       "PersistentVolumeClaim",
					APIVersion: "v1",
					Namespace:  claim.Namespace,
					Name:       claim.Name,
					UID:        claim.UID,
				},
			},
		}
		_, _ = clients.CoreV1().PersistentVolumes().Create(ctx, volume, metav1.CreateOptions{})
	}
	_, _ = claims.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    handle,
		UpdateFunc: func(_, obj any) { handle(obj) },
	})
	factory.Start(ctx.Done())
}

// smokeTest proves the whole chain works (scheduler, kwok, the service-account controller):
// a pod in `default` becomes Ready with an address, then it is deleted.
func smokeTest(ctx context.Context, clients kubernetes.Interface, deadline time.Time) error {
	for {
		_, err := clients.CoreV1().ServiceAccounts("default").Get(ctx, "default", metav1.GetOptions{})
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the service-account controller made no default service account: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	zero := int64(0)
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "judge-smoke-test"},
		Spec: corev1.PodSpec{
			TerminationGracePeriodSeconds: &zero,
			Containers:                    []corev1.Container{{Name: "c", Image: "smoke-test"}},
		},
	}
	if _, err := clients.CoreV1().Pods("default").Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		return err
	}
	for {
		p, err := clients.CoreV1().Pods("default").Get(ctx, pod.Name, metav1.GetOptions{})
		if err == nil && p.Status.PodIP != "" && ready(p) {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("a pod did not become Ready (scheduler and kwok): %v", p.Status)
		}
		time.Sleep(200 * time.Millisecond)
	}
	return clients.CoreV1().Pods("default").Delete(ctx, pod.Name, metav1.DeleteOptions{GracePeriodSeconds: &zero})
}

func ready(pod *corev1.Pod) bool {
	for _, c := range pod.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}
