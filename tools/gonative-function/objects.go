package main

import (
	"encoding/json"

	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/resource/composed"
	"k8s.io/apimachinery/pkg/runtime"
)

func ptr[T any](v T) *T { return &v }

// toObject converts a typed object to the unstructured form the SDK sends, as composed.From does.
func toObject(typed any) (map[string]any, error) {
	return runtime.DefaultUnstructuredConverter.ToUnstructured(typed)
}

// raw is a value as runtime.RawExtension, the type provider-helm's values and provider-kubernetes'
// manifests have in the providers' Go APIs.
func raw(v any) (*runtime.RawExtension, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return &runtime.RawExtension{Raw: b}, nil
}

func setLabel(object map[string]any, key, value string) {
	metadata, _ := object["metadata"].(map[string]any)
	if metadata == nil {
		metadata = map[string]any{}
		object["metadata"] = metadata
	}
	labels, _ := metadata["labels"].(map[string]any)
	if labels == nil {
		labels = map[string]any{}
		metadata["labels"] = labels
	}
	labels[key] = value
}

// readyCondition is the observed resource's Ready condition when it is True, else nil.
func readyCondition(u *composed.Unstructured) map[string]any {
	conditions, _ := valueAt(u.Object, "status", "conditions").([]any)
	for _, c := range conditions {
		m, ok := c.(map[string]any)
		if ok && m["type"] == "Ready" && m["status"] == "True" {
			return m
		}
	}
	return nil
}

// valueAt is the value at path in an unstructured object, or nil.
func valueAt(object map[string]any, path ...string) any {
	var current any = object
	for _, key := range path {
		m, ok := current.(map[string]any)
		if !ok {
			return nil
		}
		current = m[key]
	}
	return current
}

// stringIn is the string at path in an unstructured object, or "".
func stringIn(object map[string]any, path ...string) string {
	s, _ := valueAt(object, path...).(string)
	return s
}

// observedObject is the observed resource of that name, unstructured (nil if there is none).
func (g *graph) observedObject(name string) map[string]any {
	if o, ok := g.observed[resource.Name(name)]; ok {
		return o.Resource.Object
	}
	return nil
}

// observedString reads a string of an observed resource ("" when it is not there).
func (g *graph) observedString(name string, path ...string) string {
	return stringIn(g.observedObject(name), path...)
}

// observedNumber reads a number of an observed resource.
func (g *graph) observedNumber(name string, path ...string) (float64, bool) {
	switch n := valueAt(g.observedObject(name), path...).(type) {
	case float64:
		return n, true
	case int64:
		return float64(n), true
	}
	return 0, false
}
