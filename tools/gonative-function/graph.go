package main

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/resource/composed"

	"github.com/devplatform/function-devplatform/tools/gonative-function/meta"
	"github.com/devplatform/function-devplatform/tools/gonative-function/models/protection"
)

const (
	componentLabel = "devplatform.io/component"
	inUseLabel     = "crossplane.io/in-use"
	usageDetails   = "crossplane.io/usage-details"
)

// node is one composed resource: what it is for people, what it keeps while it exists (ours: its
// needs that order deletion), and its object.
type node struct {
	name   string
	what   string
	needs  []string
	object map[string]any
	// keptByProvider: a ProviderConfig, which its provider keeps while anything uses it. What
	// needs it needs, for deletion, what it needs.
	keptByProvider bool
}

// outsider is something outside the composite its resources need (an AppStack's DevEnvironment).
// With a party, what needs it keeps it by a Usage naming it; a new Usage gets usageName(by).
type outsider struct {
	what      string
	party     *protection.UsageSpecOf
	usageName func(by string) string
}

// graph holds a composite's resources in the order they are added and derives the deletion order
// (Usages) from their needs, as ours does (functions/shared/graph). needs lists only what a
// resource keeps while it exists; needs that any deletion order satisfies are left out.
type graph struct {
	observed  map[resource.Name]resource.ObservedComposed
	order     []string
	nodes     map[string]*node
	outsiders map[string]outsider
}

func newGraph(observed map[resource.Name]resource.ObservedComposed) *graph {
	return &graph{observed: observed, nodes: map[string]*node{}, outsiders: map[string]outsider{}}
}

// add converts a typed object and adds it, labelled with its component name.
func (g *graph) add(n node, typed any) error {
	object, err := toObject(typed)
	if err != nil {
		return err
	}
	n.object = object
	setLabel(object, componentLabel, dnsLabel(n.name, 63, false))
	g.order = append(g.order, n.name)
	g.nodes[n.name] = &n
	return nil
}

// ready reports whether the observed resource exists and is ready.
func (g *graph) ready(name string) bool {
	o, ok := g.observed[resource.Name(name)]
	if !ok {
		return false
	}
	switch o.Resource.GetKind() {
	case "ProviderConfig", "ClusterProviderConfig", "Usage", "ClusterUsage":
		return true
	}
	return readyCondition(o.Resource) != nil
}

// kept is what a need on name keeps: itself, or for a ProviderConfig what that needs, less what
// those keep among themselves.
func (g *graph) kept(name string) []string {
	if o, ok := g.outsiders[name]; ok {
		if o.party == nil {
			return nil
		}
		return []string{name}
	}
	n, ok := g.nodes[name]
	if !ok {
		return nil
	}
	if !n.keptByProvider {
		return []string{name}
	}
	var all []string
	for _, on := range n.needs {
		for _, k := range g.kept(on) {
			if !slices.Contains(all, k) {
				all = append(all, k)
			}
		}
	}
	var out []string
	for _, x := range all {
		covered := false
		for _, y := range all {
			if y != x && g.needsTransitively(y, x) {
				covered = true
			}
		}
		if !covered {
			out = append(out, x)
		}
	}
	return out
}

func (g *graph) needsTransitively(from, to string) bool {
	visited := map[string]bool{}
	stack := []string{from}
	for len(stack) > 0 {
		current := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n, ok := g.nodes[current]
		if !ok || visited[current] {
			continue
		}
		visited[current] = true
		for _, on := range n.needs {
			if on == to {
				return true
			}
			stack = append(stack, on)
		}
	}
	return false
}

// addDeletionOrder adds a Usage for each resource another one needs, and marks what is kept in use.
func (g *graph) addDeletionOrder(labels map[string]string) error {
	type edge struct{ of, by string }
	var edges []edge
	seen := map[edge]bool{}
	for _, by := range g.order {
		n := g.nodes[by]
		if n.keptByProvider {
			continue
		}
		for _, on := range n.needs {
			for _, of := range g.kept(on) {
				e := edge{of, by}
				if !seen[e] {
					seen[e] = true
					edges = append(edges, e)
				}
			}
		}
	}
	for _, e := range edges {
		if err := g.addUsage(e.of, e.by, labels); err != nil {
			return err
		}
		if n, ok := g.nodes[e.of]; ok {
			setLabel(n.object, inUseLabel, "true")
		}
	}
	return nil
}

func (g *graph) what(name string) string {
	if o, ok := g.outsiders[name]; ok {
		return o.what
	}
	return g.nodes[name].what
}

func (g *graph) addUsage(of, by string, labels map[string]string) error {
	name := "usage-" + by + "-uses-" + of
	reason := g.what(by) + " uses " + g.what(of)
	u := protection.NewUsage()
	u.Metadata = meta.ObjectMeta{Labels: maps.Clone(labels), Annotations: map[string]string{usageDetails: reason}}
	u.Spec = &protection.UsageSpec{
		By: &protection.UsageSpecBy{
			ApiVersion:       ptr(stringIn(g.nodes[by].object, "apiVersion")),
			Kind:             ptr(stringIn(g.nodes[by].object, "kind")),
			ResourceSelector: &protection.UsageSpecByResourceSelector{MatchControllerRef: ptr(true), MatchLabels: selectorLabels(by)},
		},
		Reason:         ptr(reason),
		ReplayDeletion: ptr(true),
	}
	if o, ok := g.outsiders[of]; ok {
		u.Spec.Of = o.party
		if _, exists := g.observed[resource.Name(name)]; !exists && o.usageName != nil {
			u.Metadata.Name = o.usageName(by)
		}
	} else {
		u.Spec.Of = &protection.UsageSpecOf{
			ApiVersion:       ptr(stringIn(g.nodes[of].object, "apiVersion")),
			Kind:             ptr(stringIn(g.nodes[of].object, "kind")),
			ResourceSelector: &protection.UsageSpecOfResourceSelector{MatchControllerRef: ptr(true), MatchLabels: selectorLabels(of)},
		}
		if o, ok := g.observed[resource.Name(of)]; ok {
			u.Spec.Of.ResourceRef = &protection.UsageSpecOfResourceRef{Name: ptr(o.Resource.GetName())}
		}
	}
	return g.add(node{name: name, what: "deletion order of " + g.what(of)}, u)
}

// allReady reports whether every one of names is observed ready.
func (g *graph) allReady(names []string) bool {
	for _, name := range names {
		if !g.ready(name) {
			return false
		}
	}
	return true
}

// desired is every resource with its readiness, as the SDK takes them.
func (g *graph) desired() map[resource.Name]*resource.DesiredComposed {
	out := make(map[resource.Name]*resource.DesiredComposed, len(g.order))
	for _, name := range g.order {
		d := resource.NewDesiredComposed()
		d.Resource = &composed.Unstructured{}
		d.Resource.Object = g.nodes[name].object
		d.Ready = resource.ReadyFalse
		if g.ready(name) {
			d.Ready = resource.ReadyTrue
		}
		out[resource.Name(name)] = d
	}
	return out
}

func selectorLabels(component string) map[string]string {
	return map[string]string{componentLabel: dnsLabel(component, 63, false)}
}

var (
	alreadyALabel = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	notLabelChars = regexp.MustCompile(`[^a-z0-9-]+`)
	dashes        = regexp.MustCompile(`-+`)
)

// dnsLabel is ours (functions/shared/names.ts): a DNS label of at most max characters, cut and
// suffixed with a hash of the whole when too long.
func dnsLabel(value string, max int, startWithLetter bool) string {
	startsWithLetter := func(s string) bool { return s != "" && s[0] >= 'a' && s[0] <= 'z' }
	if len(value) <= max && alreadyALabel.MatchString(value) && (!startWithLetter || startsWithLetter(value)) {
		return value
	}
	cleaned := strings.Trim(dashes.ReplaceAllString(notLabelChars.ReplaceAllString(strings.ToLower(value), "-"), "-"), "-")
	if cleaned == "" {
		cleaned = "x"
	}
	if startWithLetter && !startsWithLetter(cleaned) {
		cleaned = "x-" + cleaned
	}
	if len(cleaned) <= max {
		return cleaned
	}
	suffix := shortHash(value, 8)
	return strings.TrimRight(cleaned[:max-len(suffix)-1], "-") + "-" + suffix
}

// shortHash is ours (functions/shared/names.ts): the first hex digits of a SHA-256.
func shortHash(value string, length int) string {
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:])[:length]
}
