// Package meta is the part of Kubernetes' ObjectMeta a composition function sets on what it
// composes. metav1.ObjectMeta would do, but converting it to unstructured writes
// creationTimestamp: null into every object, which Crossplane would then apply.
package meta

// ObjectMeta is metadata.name, namespace, labels and annotations.
type ObjectMeta struct {
	Name        string            `json:"name,omitempty"`
	Namespace   string            `json:"namespace,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}
