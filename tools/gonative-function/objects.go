package main

import (
	"encoding/json"
	"time"

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

func stringAt(object map[string]any, key string) string {
	s, _ := object[key].(string)
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func copyLabels(labels map[string]string) map[string]string {
	out := make(map[string]string, len(labels)+2)
	for k, v := range labels {
		out[k] = v
	}
	return out
}

// readyCondition is the observed resource's Ready condition when it is True, else nil.
func readyCondition(u *composed.Unstructured) map[string]any {
	conditions, _, _ := unstructuredSlice(u.Object, "status", "conditions")
	for _, c := range conditions {
		m, ok := c.(map[string]any)
		if ok && m["type"] == "Ready" && m["status"] == "True" {
			return m
		}
	}
	return nil
}

// readySince is when an observed resource became ready: its Ready condition's time, or its
// creation for kinds without one (functions/shared/provisioning.ts).
func (g *graph) readySince(name string) (time.Time, bool) {
	if !g.ready(name) {
		return time.Time{}, false
	}
	u := g.observed[resource.Name(name)].Resource
	at := u.GetCreationTimestamp().Time
	if c := readyCondition(u); c != nil {
		s, _ := c["lastTransitionTime"].(string)
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return time.Time{}, false
		}
		at = t
	}
	return at, !at.IsZero()
}

func unstructuredSlice(object map[string]any, path ...string) ([]any, bool, error) {
	var current any = object
	for _, key := range path {
		m, ok := current.(map[string]any)
		if !ok {
			return nil, false, nil
		}
		current = m[key]
	}
	s, ok := current.([]any)
	return s, ok, nil
}

// observedString reads a string of an observed resource ("" when it is not there).
func (g *graph) observedString(name string, path ...string) string {
	o, ok := g.observed[resource.Name(name)]
	if !ok {
		return ""
	}
	var current any = o.Resource.Object
	for _, key := range path {
		m, ok := current.(map[string]any)
		if !ok {
			return ""
		}
		current = m[key]
	}
	s, _ := current.(string)
	return s
}

// observedNumber reads a number of an observed resource.
func (g *graph) observedNumber(name string, path ...string) (float64, bool) {
	o, ok := g.observed[resource.Name(name)]
	if !ok {
		return 0, false
	}
	var current any = o.Resource.Object
	for _, key := range path {
		m, ok := current.(map[string]any)
		if !ok {
			return 0, false
		}
		current = m[key]
	}
	switch n := current.(type) {
	case float64:
		return n, true
	case int64:
		return float64(n), true
	}
	return 0, false
}
