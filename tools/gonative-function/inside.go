package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/devplatform/function-devplatform/tools/gonative-function/meta"
	"github.com/devplatform/function-devplatform/tools/gonative-function/models/helmm"
	"github.com/devplatform/function-devplatform/tools/gonative-function/models/kubernetesm"
)

// The providers keep their ProviderConfigs while anything uses them: those get no Usage.
var insideCluster = []string{"providerconfig-helm", "providerconfig-kubernetes"}

func (env *environment) providerConfigName() string {
	return dnsLabel("devenv-"+env.key, 63, false)
}

// addInsideCluster adds the ProviderConfigs into the cluster, the team's admin binding and the
// tools; it returns the tools' status.
func (env *environment) addInsideCluster() ([]any, error) {
	if err := env.addProviderConfigs(); err != nil {
		return nil, err
	}
	if err := env.addAdminBinding(); err != nil {
		return nil, err
	}
	return env.addTools()
}

func (env *environment) addProviderConfigs() error {
	secret := env.kubeconfigSecret()
	name := env.providerConfigName()
	what := "the platform's %s access to the GKE cluster " + env.clusterName()
	serving := []string{"gke-cluster", "gke-nodepool"}
	identitySource := env.gke.ProviderIdentity.Source
	if identitySource != "InjectedIdentity" {
		return fmt.Errorf("the native reference takes providerIdentity.source InjectedIdentity only")
	}
	helm := helmm.NewProviderConfig()
	helm.Metadata = meta.ObjectMeta{Name: name, Namespace: env.namespace, Labels: maps.Clone(env.labels)}
	helm.Spec = &helmm.ProviderConfigSpec{
		Credentials: &helmm.ProviderConfigSpecCredentials{
			Source:    ptr("Secret"),
			SecretRef: &helmm.ProviderConfigSpecCredentialsSecretRef{Name: ptr(secret), Namespace: ptr(env.namespace), Key: ptr("kubeconfig")},
		},
		Identity: &helmm.ProviderConfigSpecIdentity{Type: ptr("GoogleApplicationCredentials"), Source: ptr(identitySource)},
	}
	n := node{name: insideCluster[0], what: fmt.Sprintf(what, "Helm"), needs: serving, keptByProvider: true}
	if err := env.graph.add(n, helm); err != nil {
		return err
	}
	kubernetes := kubernetesm.NewProviderConfig()
	kubernetes.Metadata = helm.Metadata
	kubernetes.Spec = &kubernetesm.ProviderConfigSpec{
		Credentials: &kubernetesm.ProviderConfigSpecCredentials{
			Source:    ptr("Secret"),
			SecretRef: &kubernetesm.ProviderConfigSpecCredentialsSecretRef{Name: ptr(secret), Namespace: ptr(env.namespace), Key: ptr("kubeconfig")},
		},
		Identity: &kubernetesm.ProviderConfigSpecIdentity{Type: ptr("GoogleApplicationCredentials"), Source: ptr(identitySource)},
	}
	n = node{name: insideCluster[1], what: fmt.Sprintf(what, "Kubernetes"), needs: serving, keptByProvider: true}
	return env.graph.add(n, kubernetes)
}

// kubernetesObject is a provider-kubernetes Object wrapping manifest.
func kubernetesObject(labels map[string]string, manifest any, pc providerConfigRef, readiness string) (*kubernetesm.Object, error) {
	m, err := raw(manifest)
	if err != nil {
		return nil, err
	}
	o := kubernetesm.NewObject()
	o.Metadata = meta.ObjectMeta{Labels: labels}
	o.Spec = &kubernetesm.ObjectSpec{
		ForProvider:       &kubernetesm.ObjectSpecForProvider{Manifest: m},
		ProviderConfigRef: &kubernetesm.ObjectSpecProviderConfigRef{Kind: ptr(pc.Kind), Name: ptr(pc.Name)},
		Readiness:         &kubernetesm.ObjectSpecReadiness{Policy: ptr(readiness)},
	}
	return o, nil
}

func (env *environment) addAdminBinding() error {
	subjects := []rbacv1.Subject{{Kind: "Group", Name: env.policy.Rbac.TeamGroupPrefix + env.spec.Team, APIGroup: rbacv1.GroupName}}
	for _, g := range env.spec.Access.Groups {
		subjects = append(subjects, rbacv1.Subject{Kind: "Group", Name: g, APIGroup: rbacv1.GroupName})
	}
	for _, u := range env.spec.Access.Users {
		subjects = append(subjects, rbacv1.Subject{Kind: "User", Name: u, APIGroup: rbacv1.GroupName})
	}
	workload := maps.Clone(env.labels)
	workload["app.kubernetes.io/managed-by"] = "function-devplatform"
	binding := roleBindingManifest{
		header:   header{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRoleBinding", Metadata: meta.ObjectMeta{Name: "devenvironment-admins", Labels: workload}},
		RoleRef:  rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: "cluster-admin"},
		Subjects: subjects,
	}
	pc := providerConfigRef{Kind: "ProviderConfig", Name: env.providerConfigName()}
	o, err := kubernetesObject(maps.Clone(env.labels), binding, pc, "SuccessfulCreate")
	if err != nil {
		return err
	}
	return env.graph.add(node{name: "cluster-admin-binding", what: "the team's cluster-admin binding", needs: insideCluster}, o)
}

// toolOrder is the tools asked for and what they depend on, dependencies first.
func (env *environment) toolOrder() []string {
	var wanted []string
	var want func(string)
	want = func(name string) {
		if slices.Contains(wanted, name) {
			return
		}
		for _, dep := range env.policy.Tools[name].DependsOn {
			want(dep)
		}
		wanted = append(wanted, name)
	}
	for _, name := range env.spec.Tools {
		want(name)
	}
	return wanted
}

// toolResources is the composition-resource-names of a tool: its Release, then its manifests.
func toolResources(name string, tool toolPolicy) []string {
	var out []string
	if tool.Chart != nil {
		out = append(out, "tool-"+name)
	}
	for _, m := range tool.Manifests {
		out = append(out, dnsLabel("tool-"+name+"-"+strings.ToLower(fmt.Sprint(m["kind"]))+"-"+manifestName(m), 120, false))
	}
	return out
}

func manifestName(m map[string]any) string {
	metadata, _ := m["metadata"].(map[string]any)
	return fmt.Sprint(metadata["name"])
}

func (env *environment) addTools() ([]any, error) {
	status := []any{}
	for _, name := range env.toolOrder() {
		tool, ok := env.policy.Tools[name]
		if !ok {
			return nil, fmt.Errorf("spec.tools: the policy offers no tool %q", name)
		}
		if err := env.addTool(name, tool); err != nil {
			return nil, err
		}
		ready := true
		for _, r := range toolResources(name, tool) {
			ready = ready && env.graph.ready(r)
		}
		status = append(status, map[string]any{"name": name, "version": toolVersion(tool), "ready": ready})
	}
	return status, nil
}

func toolVersion(tool toolPolicy) string {
	if tool.Chart != nil {
		return tool.Chart.Version
	}
	for _, m := range tool.Manifests {
		if spec, ok := m["spec"].(map[string]any); ok {
			if v, ok := spec["version"].(string); ok {
				return v
			}
		}
	}
	return ""
}

func (env *environment) addTool(name string, tool toolPolicy) error {
	labels := maps.Clone(env.labels)
	labels["devplatform.io/tool"] = name
	needs := append([]string{}, insideCluster...)
	for _, dep := range tool.DependsOn {
		needs = append(needs, toolResources(dep, env.policy.Tools[dep])...)
	}
	pc := providerConfigRef{Kind: "ProviderConfig", Name: env.providerConfigName()}
	names := toolResources(name, tool)
	if tool.Chart != nil {
		values, err := raw(tool.Values)
		if err != nil {
			return err
		}
		release := helmm.NewRelease()
		release.Metadata = meta.ObjectMeta{Labels: labels, Annotations: map[string]string{"crossplane.io/external-name": name}}
		release.Spec = &helmm.ReleaseSpec{
			ForProvider: &helmm.ReleaseSpecForProvider{
				Chart:     &helmm.ReleaseSpecForProviderChart{Repository: ptr(tool.Chart.Repository), Name: ptr(tool.Chart.Name), Version: ptr(tool.Chart.Version)},
				Namespace: ptr(tool.Namespace), Values: values, Wait: ptr(true), WaitTimeout: ptr("10m"),
			},
			ProviderConfigRef: &helmm.ReleaseSpecProviderConfigRef{Kind: ptr(pc.Kind), Name: ptr(pc.Name)},
			RollbackLimit:     ptr(int64(3)),
		}
		if err := env.graph.add(node{name: names[0], what: "tool " + name, needs: needs}, release); err != nil {
			return err
		}
		needs = append(needs, names[0])
		names = names[1:]
	}
	for i, m := range tool.Manifests {
		o, err := kubernetesObject(maps.Clone(labels), m, pc, "DeriveFromObject")
		if err != nil {
			return err
		}
		what := fmt.Sprintf("tool %s (%v %s)", name, m["kind"], manifestName(m))
		if err := env.graph.add(node{name: names[i], what: what, needs: needs}, o); err != nil {
			return err
		}
	}
	return nil
}
