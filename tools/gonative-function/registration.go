package main

import (
	"maps"

	"github.com/devplatform/function-devplatform/tools/gonative-function/meta"
	"github.com/devplatform/function-devplatform/tools/gonative-function/models/argoprojio"
	"github.com/devplatform/function-devplatform/tools/gonative-function/models/clusterargocd"
)

// endpoint is the GKE cluster's public endpoint and CA, once its provider reports them.
func (env *environment) endpoint() (server, caData string, ok bool) {
	host := env.graph.observedString("gke-cluster", "status", "atProvider", "endpoint")
	caData = env.graph.observedString("gke-cluster", "status", "atProvider", "masterAuth", "clusterCaCertificate")
	if host == "" || caData == "" {
		return "", "", false
	}
	return "https://" + host, caData, true
}

func (env *environment) registrationLabels() map[string]string {
	labels := maps.Clone(env.labels)
	labels["devplatform.io/environment-key"] = dnsLabel(env.key, 63, false)
	return labels
}

// addArgocdRegistration adds the environment's cluster to Argo CD (once the cluster reports its
// endpoint) and its AppProject. It returns whether the environment is registered.
func (env *environment) addArgocdRegistration() (bool, error) {
	argocd := env.policy.Argocd
	if !argocd.Enabled {
		return false, nil
	}
	name := env.providerConfigName()
	server, caData, reported := env.endpoint()
	if !reported {
		return false, nil
	}
	cluster := clusterargocd.NewCluster()
	cluster.Metadata = meta.ObjectMeta{Name: name, Labels: maps.Clone(env.labels)}
	cluster.Spec = &clusterargocd.ClusterSpec{
		ForProvider: &clusterargocd.ClusterSpecForProvider{
			Name: ptr(name), Server: ptr(server), Labels: env.registrationLabels(),
			Config: &clusterargocd.ClusterSpecForProviderConfig{
				ExecProviderConfig: &clusterargocd.ClusterSpecForProviderConfigExecProviderConfig{
					Command: ptr(argocd.GkeExecCommand), Args: []string{"gcp"}, ApiVersion: ptr("client.authentication.k8s.io/v1beta1"),
				},
				TlsClientConfig: &clusterargocd.ClusterSpecForProviderConfigTlsClientConfig{CaData: ptr(caData), Insecure: ptr(false)},
			},
		},
		ProviderConfigRef: &clusterargocd.ClusterSpecProviderConfigRef{Name: ptr(argocd.ProviderConfig)},
	}
	o, err := kubernetesObject(maps.Clone(env.labels), cluster, argocd.KubernetesProviderConfig, "DeriveFromObject")
	if err != nil {
		return false, err
	}
	if err := env.graph.add(node{name: "argocd-cluster", what: "Argo CD cluster " + name, needs: []string{"gke-cluster"}}, o); err != nil {
		return false, err
	}
	project := argoprojio.NewAppProject()
	project.Metadata = meta.ObjectMeta{Name: name, Namespace: argocd.Namespace, Labels: env.registrationLabels()}
	project.Spec = &argoprojio.AppProjectSpec{
		Description:                ptr("DevEnvironment " + env.key + " of team " + env.spec.Team),
		SourceRepos:                argocd.SourceRepos,
		Destinations:               []argoprojio.AppProjectSpecDestinations{{Name: ptr(name), Namespace: ptr("*")}},
		ClusterResourceWhitelist:   []argoprojio.AppProjectSpecClusterResourceWhitelist{{Group: ptr("*"), Kind: ptr("*")}},
		NamespaceResourceWhitelist: []argoprojio.AppProjectSpecNamespaceResourceWhitelist{{Group: ptr("*"), Kind: ptr("*")}},
	}
	o, err = kubernetesObject(maps.Clone(env.labels), project, argocd.KubernetesProviderConfig, "SuccessfulCreate")
	if err != nil {
		return false, err
	}
	// An AppProject only names the cluster it deploys to: either may go first, so no Usage.
	return true, env.graph.add(node{name: "argocd-project", what: "Argo CD project " + name}, o)
}
