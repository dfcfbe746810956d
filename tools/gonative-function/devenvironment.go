package main

import (
	"fmt"
	"maps"
	"regexp"
	"strings"
	"time"

	"github.com/crossplane/function-sdk-go/resource"

	"github.com/devplatform/function-devplatform/tools/gonative-function/meta"
	"github.com/devplatform/function-devplatform/tools/gonative-function/models/cloudplatformgcpm"
	"github.com/devplatform/function-devplatform/tools/gonative-function/models/computegcpm"
	"github.com/devplatform/function-devplatform/tools/gonative-function/models/containergcpm"
	"github.com/devplatform/function-devplatform/tools/gonative-function/models/servicenetworkinggcpm"
)

func init() { composers["DevEnvironment"] = composeDevEnvironment }

// devEnvironmentSpec is the part of a DevEnvironment's spec a gke environment reads.
type devEnvironmentSpec struct {
	Team              string   `json:"team"`
	Type              string   `json:"type"`
	Size              string   `json:"size"`
	Region            string   `json:"region"`
	KubernetesVersion string   `json:"kubernetesVersion"`
	Tools             []string `json:"tools"`
	Access            struct {
		Groups []string `json:"groups"`
		Users  []string `json:"users"`
	} `json:"access"`
	TTL   string `json:"ttl"`
	Sleep *struct {
		Asleep   bool `json:"asleep"`
		Schedule any  `json:"schedule"`
	} `json:"sleep"`
}

// environment is what the composers of one DevEnvironment share.
type environment struct {
	name, namespace, key string
	created              time.Time
	spec                 devEnvironmentSpec
	policy               *policy
	gke                  gkePolicy
	graph                *graph
	labels               map[string]string
	// sleeps is why the environment sleeps now ("Expired", "Manual"), or "" while it is awake.
	sleeps string
}

// composeDevEnvironment composes a namespaced gke DevEnvironment (the bench's case); other types
// and the legacy flavour are refused rather than composed wrongly.
func composeDevEnvironment(in composeInput) (map[resource.Name]*resource.DesiredComposed, map[string]any, error) {
	env := &environment{name: in.xr.GetName(), namespace: in.xr.GetNamespace(), policy: in.policy, graph: newGraph(in.observed)}
	if err := specOf(in.xr, &env.spec); err != nil {
		return nil, nil, err
	}
	if env.spec.Type != "gke" || env.namespace == "" {
		return nil, nil, fmt.Errorf("the native reference composes namespaced gke environments only, not %q", env.spec.Type)
	}
	if env.spec.Sleep != nil && env.spec.Sleep.Schedule != nil {
		return nil, nil, fmt.Errorf("the native reference does not compose sleep schedules")
	}
	env.key = env.namespace + "-" + env.name
	env.created = in.xr.GetCreationTimestamp().Time
	env.gke = in.policy.Environments.Gke
	env.labels = map[string]string{
		"devplatform.io/environment":     dnsLabel(env.name, 63, false),
		"devplatform.io/owner-namespace": dnsLabel(env.namespace, 63, false),
		"devplatform.io/team":            env.spec.Team,
		"devplatform.io/type":            env.spec.Type,
	}
	expiry, err := env.expiry()
	if err != nil {
		return nil, nil, err
	}
	env.sleeps = env.sleepReason(expiry, in.now)
	status, err := env.compose()
	if err != nil {
		return nil, nil, err
	}
	env.addStatus(status, expiry, in.now)
	return env.graph.desired(), status, nil
}

// compose adds every resource of the environment and returns the status it knows of.
func (env *environment) compose() (map[string]any, error) {
	steps := []func() error{env.addNetwork, env.addNodeIdentity, env.addCluster, env.addNodePool}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	tools, err := env.addInsideCluster()
	if err != nil {
		return nil, err
	}
	registered, err := env.addArgocdRegistration()
	if err != nil {
		return nil, err
	}
	if err := env.graph.addDeletionOrder(env.labels); err != nil {
		return nil, err
	}
	status := map[string]any{"tools": tools}
	if registered {
		status["argocdClusterName"] = env.providerConfigName()
		status["argocdProject"] = env.providerConfigName()
	}
	return status, nil
}

// meta is the metadata of a managed resource: the environment's labels, and its external name.
func (env *environment) meta(externalName string) meta.ObjectMeta {
	m := meta.ObjectMeta{Labels: maps.Clone(env.labels)}
	if externalName != "" {
		m.Annotations = map[string]string{"crossplane.io/external-name": externalName}
	}
	return m
}

// keptExternalName is the external name an observed resource was created with, else proposed.
func (env *environment) keptExternalName(name, proposed string) string {
	if kept := env.graph.observedString(name, "metadata", "annotations", "crossplane.io/external-name"); kept != "" {
		return kept
	}
	return proposed
}

func (env *environment) cloudLabels() map[string]string {
	return map[string]string{
		"devplatform-environment":     dnsLabel(env.name, 63, false),
		"devplatform-owner-namespace": dnsLabel(env.namespace, 63, false),
		"devplatform-team":            env.spec.Team,
		"devplatform-type":            env.spec.Type,
	}
}

func (env *environment) region() string {
	if env.spec.Region != "" {
		return env.spec.Region
	}
	if r := env.graph.observedString("gke-cluster", "spec", "forProvider", "location"); r != "" {
		return r
	}
	return env.gke.DefaultRegion
}

func (env *environment) networkName() string {
	return env.keptExternalName("gke-network", dnsLabel("devenv-"+env.key, 63, true))
}

func (env *environment) addNetwork() error {
	project, pc := env.gke.Project, env.gke.ProviderConfig
	name := env.networkName()
	network := computegcpm.NewNetwork()
	network.Metadata = env.meta(name)
	network.Spec = &computegcpm.NetworkSpec{
		ForProvider:       &computegcpm.NetworkSpecForProvider{Project: ptr(project), AutoCreateSubnetworks: ptr(false), RoutingMode: ptr("REGIONAL")},
		ProviderConfigRef: &computegcpm.NetworkSpecProviderConfigRef{Kind: ptr(pc.Kind), Name: ptr(pc.Name)},
	}
	if err := env.graph.add(node{name: "gke-network", what: "VPC network " + name}, network); err != nil {
		return err
	}
	net := env.gke.Network
	subnetwork := computegcpm.NewSubnetwork()
	subnetwork.Metadata = env.meta(env.keptExternalName("gke-subnetwork", name))
	subnetwork.Spec = &computegcpm.SubnetworkSpec{
		ForProvider: &computegcpm.SubnetworkSpecForProvider{
			Project: ptr(project), Region: ptr(env.region()), IpCidrRange: ptr(net.NodesCidr),
			SecondaryIpRange: []computegcpm.SubnetworkSpecForProviderSecondaryIpRange{
				{RangeName: ptr("pods"), IpCidrRange: ptr(net.PodsCidr)},
				{RangeName: ptr("services"), IpCidrRange: ptr(net.ServicesCidr)},
			},
			PrivateIpGoogleAccess: ptr(true),
			NetworkSelector:       &computegcpm.SubnetworkSpecForProviderNetworkSelector{MatchControllerRef: ptr(true), MatchLabels: selectorLabels("gke-network")},
		},
		ProviderConfigRef: &computegcpm.SubnetworkSpecProviderConfigRef{Kind: ptr(pc.Kind), Name: ptr(pc.Name)},
	}
	if err := env.graph.add(node{name: "gke-subnetwork", what: "subnetwork " + name, needs: []string{"gke-network"}}, subnetwork); err != nil {
		return err
	}
	return env.addPrivateServicesAccess(name)
}

func (env *environment) addPrivateServicesAccess(networkName string) error {
	project, pc := env.gke.Project, env.gke.ProviderConfig
	address, prefix, _ := strings.Cut(env.gke.Network.PrivateServicesCidr, "/")
	var prefixLength float64
	if _, err := fmt.Sscan(prefix, &prefixLength); err != nil {
		return fmt.Errorf("policy environments.gke.network.privateServicesCidr: %w", err)
	}
	rangeName := env.keptExternalName("gke-private-services-range", dnsLabel(networkName+"-services", 63, true))
	global := computegcpm.NewGlobalAddress()
	global.Metadata = env.meta(rangeName)
	global.Spec = &computegcpm.GlobalAddressSpec{
		ForProvider: &computegcpm.GlobalAddressSpecForProvider{
			Project: ptr(project), Purpose: ptr("VPC_PEERING"), AddressType: ptr("INTERNAL"),
			Address: ptr(address), PrefixLength: ptr(prefixLength),
			Description:     ptr(fmt.Sprintf("Private services access of DevEnvironment %s (%s)", env.key, env.region())),
			NetworkSelector: &computegcpm.GlobalAddressSpecForProviderNetworkSelector{MatchControllerRef: ptr(true), MatchLabels: selectorLabels("gke-network")},
		},
		ProviderConfigRef: &computegcpm.GlobalAddressSpecProviderConfigRef{Kind: ptr(pc.Kind), Name: ptr(pc.Name)},
	}
	if err := env.graph.add(node{name: "gke-private-services-range", what: "reserved range " + rangeName, needs: []string{"gke-network"}}, global); err != nil {
		return err
	}
	connection := servicenetworkinggcpm.NewConnection()
	connection.Metadata = env.meta("")
	connection.Spec = &servicenetworkinggcpm.ConnectionSpec{
		ForProvider: &servicenetworkinggcpm.ConnectionSpecForProvider{
			Service: ptr("servicenetworking.googleapis.com"), DeletionPolicy: ptr("ABANDON"),
			NetworkSelector:               &servicenetworkinggcpm.ConnectionSpecForProviderNetworkSelector{MatchControllerRef: ptr(true), MatchLabels: selectorLabels("gke-network")},
			ReservedPeeringRangesSelector: &servicenetworkinggcpm.ConnectionSpecForProviderReservedPeeringRangesSelector{MatchControllerRef: ptr(true), MatchLabels: selectorLabels("gke-private-services-range")},
		},
		ProviderConfigRef: &servicenetworkinggcpm.ConnectionSpecProviderConfigRef{Kind: ptr(pc.Kind), Name: ptr(pc.Name)},
	}
	return env.graph.add(node{
		name: "gke-private-services-connection", what: "private services connection of " + networkName,
		needs: []string{"gke-network", "gke-private-services-range"},
	}, connection)
}

var notRoleChars = regexp.MustCompile(`[^a-zA-Z0-9]+`)

func (env *environment) serviceAccountID() string {
	return env.keptExternalName("gke-node-serviceaccount", dnsLabel("devenv-"+env.key, 30, true))
}

func (env *environment) nodeEmail() string {
	return env.serviceAccountID() + "@" + env.gke.Project + ".iam.gserviceaccount.com"
}

func (env *environment) addNodeIdentity() error {
	project, pc := env.gke.Project, env.gke.ProviderConfig
	id := env.serviceAccountID()
	account := cloudplatformgcpm.NewServiceAccount()
	account.Metadata = env.meta(id)
	display := "Nodes of DevEnvironment " + env.key
	if len(display) > 100 {
		display = display[:100]
	}
	account.Spec = &cloudplatformgcpm.ServiceAccountSpec{
		ForProvider:       &cloudplatformgcpm.ServiceAccountSpecForProvider{Project: ptr(project), DisplayName: ptr(display)},
		ProviderConfigRef: &cloudplatformgcpm.ServiceAccountSpecProviderConfigRef{Kind: ptr(pc.Kind), Name: ptr(pc.Name)},
	}
	if err := env.graph.add(node{name: "gke-node-serviceaccount", what: "node service account " + id}, account); err != nil {
		return err
	}
	for _, role := range env.gke.NodeServiceAccountRoles {
		member := cloudplatformgcpm.NewProjectIAMMember()
		member.Metadata = env.meta("")
		member.Spec = &cloudplatformgcpm.ProjectIAMMemberSpec{
			ForProvider:       &cloudplatformgcpm.ProjectIAMMemberSpecForProvider{Project: ptr(project), Role: ptr(role), Member: ptr("serviceAccount:" + env.nodeEmail())},
			ProviderConfigRef: &cloudplatformgcpm.ProjectIAMMemberSpecProviderConfigRef{Kind: ptr(pc.Kind), Name: ptr(pc.Name)},
		}
		name := "gke-node-role-" + strings.ToLower(notRoleChars.ReplaceAllString(strings.TrimPrefix(role, "roles/"), "-"))
		n := node{name: name, what: "role " + role + " of " + id, needs: []string{"gke-node-serviceaccount"}}
		if err := env.graph.add(n, member); err != nil {
			return err
		}
	}
	return nil
}

func (env *environment) clusterName() string {
	return env.keptExternalName("gke-cluster", dnsLabel(env.key, 40, true))
}

func (env *environment) kubeconfigSecret() string {
	return dnsLabel(env.name, 40, false) + "-gke-kubeconfig"
}

func (env *environment) kubernetesVersion() string {
	if env.spec.KubernetesVersion != "" {
		return env.spec.KubernetesVersion
	}
	return env.gke.DefaultKubernetesVersion
}

func (env *environment) addCluster() error {
	project, pc := env.gke.Project, env.gke.ProviderConfig
	name := env.clusterName()
	cluster := containergcpm.NewCluster()
	cluster.Metadata = env.meta(name)
	cluster.Spec = &containergcpm.ClusterSpec{
		ForProvider: &containergcpm.ClusterSpecForProvider{
			Project: ptr(project), Location: ptr(env.region()),
			NetworkSelector:    &containergcpm.ClusterSpecForProviderNetworkSelector{MatchControllerRef: ptr(true), MatchLabels: selectorLabels("gke-network")},
			SubnetworkSelector: &containergcpm.ClusterSpecForProviderSubnetworkSelector{MatchControllerRef: ptr(true), MatchLabels: selectorLabels("gke-subnetwork")},
			IpAllocationPolicy: &containergcpm.ClusterSpecForProviderIpAllocationPolicy{
				ClusterSecondaryRangeName: ptr("pods"), ServicesSecondaryRangeName: ptr("services"),
			},
			RemoveDefaultNodePool:  ptr(true),
			InitialNodeCount:       ptr(1.0),
			DeletionProtection:     ptr(env.gke.DeletionProtection),
			MinMasterVersion:       ptr(env.kubernetesVersion()),
			ReleaseChannel:         &containergcpm.ClusterSpecForProviderReleaseChannel{Channel: ptr(env.gke.ReleaseChannel)},
			WorkloadIdentityConfig: &containergcpm.ClusterSpecForProviderWorkloadIdentityConfig{WorkloadPool: ptr(project + ".svc.id.goog")},
			ResourceLabels:         env.cloudLabels(),
		},
		ProviderConfigRef:          &containergcpm.ClusterSpecProviderConfigRef{Kind: ptr(pc.Kind), Name: ptr(pc.Name)},
		WriteConnectionSecretToRef: &containergcpm.ClusterSpecWriteConnectionSecretToRef{Name: ptr(env.kubeconfigSecret())},
	}
	return env.graph.add(node{name: "gke-cluster", what: "GKE cluster " + name, needs: []string{"gke-subnetwork"}}, cluster)
}

func (env *environment) addNodePool() error {
	project, pc := env.gke.Project, env.gke.ProviderConfig
	size, ok := env.gke.Sizes[env.spec.Size]
	if !ok {
		return fmt.Errorf("spec.size: the policy has no gke size %q", env.spec.Size)
	}
	pool := containergcpm.NewNodePool()
	pool.Metadata = env.meta(env.keptExternalName("gke-nodepool", "devenv-nodes"))
	forProvider := &containergcpm.NodePoolSpecForProvider{
		Project: ptr(project), Location: ptr(env.region()),
		ClusterSelector:  &containergcpm.NodePoolSpecForProviderClusterSelector{MatchControllerRef: ptr(true), MatchLabels: selectorLabels("gke-cluster")},
		InitialNodeCount: ptr(max(size.MinNodes, 1)),
		Management:       &containergcpm.NodePoolSpecForProviderManagement{AutoRepair: ptr(true), AutoUpgrade: ptr(true)},
		NodeConfig: &containergcpm.NodePoolSpecForProviderNodeConfig{
			MachineType: ptr(size.MachineType), Spot: ptr(size.Spot), DiskSizeGb: size.DiskSizeGb,
			ServiceAccount:         ptr(env.nodeEmail()),
			OauthScopes:            []string{"https://www.googleapis.com/auth/cloud-platform"},
			WorkloadMetadataConfig: &containergcpm.NodePoolSpecForProviderNodeConfigWorkloadMetadataConfig{Mode: ptr("GKE_METADATA")},
			ResourceLabels:         env.cloudLabels(),
		},
	}
	if env.sleeps != "" {
		forProvider.NodeCount = ptr(0.0)
	} else {
		forProvider.Autoscaling = &containergcpm.NodePoolSpecForProviderAutoscaling{MinNodeCount: ptr(size.MinNodes), MaxNodeCount: ptr(size.MaxNodes)}
	}
	pool.Spec = &containergcpm.NodePoolSpec{
		ForProvider:        forProvider,
		ProviderConfigRef:  &containergcpm.NodePoolSpecProviderConfigRef{Kind: ptr(pc.Kind), Name: ptr(pc.Name)},
		ManagementPolicies: []string{"Observe", "Create", "Update", "Delete"},
	}
	n := node{name: "gke-nodepool", what: "node pool of " + env.clusterName(), needs: []string{"gke-cluster", "gke-node-serviceaccount"}}
	return env.graph.add(n, pool)
}
