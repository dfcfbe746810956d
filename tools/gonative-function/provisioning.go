package main

import (
	"time"

	"github.com/crossplane/function-sdk-go/resource"
)

// stage is one stage of a composite's provisioning: the resources it is made of or, for a stage
// outside the composite (an AppStack's environment), when it was ready.
type stage struct {
	name      string
	resources []string
	readyAt   *time.Time
}

// provisioning is status.provisioning (functions/shared/provisioning.ts): when each stage was
// first ready (the last of its resources' Ready conditions), and the whole once the composite is.
// The bench's XRs report none yet, so there is nothing recorded to keep.
func (g *graph) provisioning(stages []stage, created time.Time, ready bool) map[string]any {
	recorded := []any{}
	var last time.Time
	complete := ready
	for _, s := range stages {
		at, ok := g.stageReady(s)
		if !ok {
			complete = false
			continue
		}
		recorded = append(recorded, map[string]any{"name": s.name, "readyAt": at.UTC().Format(isoSeconds)})
		if at.After(last) {
			last = at
		}
	}
	out := map[string]any{"stages": recorded}
	if complete && len(recorded) > 0 {
		out["readyAt"] = last.UTC().Format(isoSeconds)
		if !created.IsZero() {
			out["seconds"] = int64(max(0, last.Sub(created).Round(time.Second).Seconds()))
		}
	}
	return out
}

// stageReady is when the last resource of a stage became ready, if all have.
func (g *graph) stageReady(s stage) (time.Time, bool) {
	if s.resources == nil {
		if s.readyAt == nil {
			return time.Time{}, false
		}
		return *s.readyAt, true
	}
	var at time.Time
	for _, name := range s.resources {
		since, ok := g.readySince(name)
		if !ok {
			return time.Time{}, false
		}
		if since.After(at) {
			at = since
		}
	}
	return at, true
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
