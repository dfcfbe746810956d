package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"strconv"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/devplatform/function-devplatform/tools/gonative-function/meta"
	"github.com/devplatform/function-devplatform/tools/gonative-function/models/daprio"
	"github.com/devplatform/function-devplatform/tools/gonative-function/models/elasticacheawsm"
)

const redisPort = 6379

// capability is one asked-for capability and what backs it.
type capability struct {
	name, kind, backend string
}

// capabilities is what the app's capabilities hand the app, and their status.
type capabilities struct {
	backing
	status []any
}

// plan decides what backs each capability: state on the app's PostgreSQL (the policy's choice),
// pub/sub on Redis (ElastiCache in eks environments), secrets in the app's namespace.
func (a *app) plan() ([]capability, error) {
	var out []capability
	for _, c := range a.spec.Capabilities {
		name := c.Name
		if name == "" {
			name = c.Type
		}
		backend := "kubernetes-secrets"
		switch c.Type {
		case "pubsub":
			backend = "redis"
		case "statestore":
			backend = "redis"
			if a.policy.Capabilities.Statestore.OnDatabase && a.spec.Database != nil {
				backend = "postgres"
			}
		}
		if backend == "redis" {
			if a.policy.Capabilities.Redis.Backends[a.envType] != "ElastiCache" {
				return nil, fmt.Errorf("the native reference composes Redis on ElastiCache only")
			}
			backend = "elasticache"
		}
		out = append(out, capability{name: name, kind: c.Type, backend: backend})
	}
	return out, nil
}

func (a *app) addCapabilities(database backing) (capabilities, error) {
	plan, err := a.plan()
	if err != nil || len(plan) == 0 {
		return capabilities{status: []any{}}, err
	}
	var redis *backing
	var redisHost string
	for _, c := range plan {
		if c.backend == "elasticache" && redis == nil {
			r, host, err := a.addElastiCache()
			if err != nil {
				return capabilities{}, err
			}
			redis, redisHost = &r, host
		}
	}
	out := capabilities{status: []any{}}
	for _, c := range plan {
		source := backing{}
		switch c.backend {
		case "postgres":
			source = database
		case "elasticache":
			source = *redis
		}
		if err := a.addComponent(c, source, redisHost); err != nil {
			return capabilities{}, err
		}
		component := "dapr-component-" + c.name
		out.keeps = append(out.keeps, component)
		ready := a.graph.ready(component) && a.graph.allReady(source.ready)
		out.status = append(out.status, map[string]any{"name": c.name, "type": c.kind, "backend": c.backend, "ready": ready})
	}
	return out, a.addResiliency(plan)
}

// addElastiCache adds the app's Redis: an auth token generated in the environment, the subnet and
// security groups, and the replication group. It returns what uses it keeps and its host:port.
func (a *app) addElastiCache() (backing, string, error) {
	secret := dnsLabel(a.name+"-redis-password", 63, false)
	if err := a.addGeneratedPassword("redis-password", "the Redis auth token "+secret, secret, dnsLabel(a.name, 40, false)+"-redis"); err != nil {
		return backing{}, "", err
	}
	placement, err := a.addPlacement("redis", "Redis", "Redis", redisPort, "Redis subnet group",
		fmt.Sprintf("Redis of AppStack %s in DevEnvironment %s", a.key, a.envName), cacheSubnetGroup)
	if err != nil {
		return backing{}, "", err
	}
	name := a.graph.observedString("redis", "metadata", "annotations", "crossplane.io/external-name")
	if name == "" {
		name = a.uniqueName(33)
	}
	cache := a.policy.Capabilities.Redis.ElastiCache
	replicated := cache.Replicas > 0
	pc := a.awsProviderConfig()
	group := elasticacheawsm.NewReplicationGroup()
	group.Metadata = meta.ObjectMeta{Labels: maps.Clone(a.labels), Annotations: map[string]string{"crossplane.io/external-name": name}}
	group.Spec = &elasticacheawsm.ReplicationGroupSpec{
		ForProvider: &elasticacheawsm.ReplicationGroupSpecForProvider{
			Region: ptr(a.env.Region), Description: ptr("Redis of AppStack " + a.key), Engine: ptr("redis"),
			EngineVersion: ptr(cache.EngineVersion), NodeType: ptr(cache.NodeType), NumCacheClusters: ptr(1 + cache.Replicas),
			AutomaticFailoverEnabled: ptr(replicated), MultiAzEnabled: ptr(replicated), Port: ptr(float64(redisPort)),
			SubnetGroupNameSelector: &elasticacheawsm.ReplicationGroupSpecForProviderSubnetGroupNameSelector{
				MatchControllerRef: ptr(true), MatchLabels: selectorLabels("redis-subnet-group"),
			},
			SecurityGroupIdSelector: &elasticacheawsm.ReplicationGroupSpecForProviderSecurityGroupIdSelector{
				MatchControllerRef: ptr(true), MatchLabels: selectorLabels("redis-security-group"),
			},
			AtRestEncryptionEnabled: ptr("true"), TransitEncryptionEnabled: ptr(true),
			AuthTokenSecretRef: &elasticacheawsm.ReplicationGroupSpecForProviderAuthTokenSecretRef{
				Name: ptr(dnsLabel(a.name, 40, false) + "-redis"), Key: ptr("password"),
			},
			ApplyImmediately: ptr(true), Tags: a.tags(),
		},
		ProviderConfigRef: &elasticacheawsm.ReplicationGroupSpecProviderConfigRef{Kind: ptr(pc.Kind), Name: ptr(pc.Name)},
	}
	n := node{name: "redis", what: "ElastiCache replication group " + name, needs: append(placement, "environment")}
	if err := a.graph.add(n, group); err != nil {
		return backing{}, "", err
	}
	host := a.graph.observedString("redis", "status", "atProvider", "primaryEndpointAddress")
	if host == "" {
		return backing{}, "", fmt.Errorf("the native reference composes AppStacks whose Redis reports its address")
	}
	port := redisPort
	if p, ok := a.graph.observedNumber("redis", "status", "atProvider", "port"); ok && p > 0 {
		port = int(p)
	}
	return backing{keeps: []string{"redis"}, ready: []string{"redis", "redis-ingress", "redis-password"}}, host + ":" + strconv.Itoa(port), nil
}

func cacheSubnetGroup(a *app, name, what, description string) error {
	pc := a.awsProviderConfig()
	group := elasticacheawsm.NewSubnetGroup()
	group.Metadata = meta.ObjectMeta{Labels: maps.Clone(a.labels)}
	group.Spec = &elasticacheawsm.SubnetGroupSpec{
		ForProvider:       &elasticacheawsm.SubnetGroupSpecForProvider{Region: ptr(a.env.Region), SubnetIds: a.env.Network.SubnetIDs, Description: ptr(description), Tags: a.tags()},
		ProviderConfigRef: &elasticacheawsm.SubnetGroupSpecProviderConfigRef{Kind: ptr(pc.Kind), Name: ptr(pc.Name)},
	}
	return a.graph.add(node{name: name, what: what, needs: []string{"environment"}}, group)
}

// componentMetadata is a Dapr component's metadata entry.
type componentMetadata = daprio.ComponentSpecMetadata

// dynamicValue is a metadata value: Dapr's DynamicValue, any JSON, here a string.
func dynamicValue(s string) *runtime.RawExtension {
	b, _ := json.Marshal(s) // a string always encodes
	return &runtime.RawExtension{Raw: b}
}

// addComponent adds the Dapr Component of a capability, scoped to the app's Dapr ID.
func (a *app) addComponent(c capability, source backing, redisHost string) error {
	component := daprio.NewComponent()
	component.Metadata = a.objectMeta(c.name)
	component.Scopes = []string{a.spec.DaprAppID}
	spec := &daprio.ComponentSpec{Version: ptr("v1")}
	switch c.backend {
	case "kubernetes-secrets":
		if err := a.addSecretReader(); err != nil {
			return err
		}
		spec.Type = ptr("secretstores.kubernetes")
		spec.Metadata = []componentMetadata{{Name: ptr("defaultNamespace"), Value: dynamicValue(a.appNamespace)}}
	case "postgres":
		spec.Type, spec.Version = ptr("state.postgresql"), ptr("v2")
		spec.Metadata = []componentMetadata{
			{Name: ptr("connectionString"), SecretKeyRef: &daprio.ComponentSpecMetadataSecretKeyRef{Name: ptr(dnsLabel(a.name+"-db", 63, false)), Key: ptr("uri")}},
			{Name: ptr("tablePrefix"), Value: dynamicValue(strings.ReplaceAll(c.name, "-", "_") + "_")},
		}
	default:
		spec.Type = ptr("pubsub.redis")
		if c.kind == "statestore" {
			spec.Type = ptr("state.redis")
		}
		spec.Metadata = []componentMetadata{
			{Name: ptr("redisHost"), Value: dynamicValue(redisHost)},
			{Name: ptr("redisPassword"), SecretKeyRef: &daprio.ComponentSpecMetadataSecretKeyRef{Name: ptr(dnsLabel(a.name+"-redis-password", 63, false)), Key: ptr("password")}},
			{Name: ptr("enableTLS"), Value: dynamicValue("true")},
		}
		if c.kind == "statestore" {
			spec.Metadata = append(spec.Metadata, componentMetadata{Name: ptr("keyPrefix"), Value: dynamicValue("name")})
		}
	}
	component.Spec = spec
	n := node{name: "dapr-component-" + c.name, what: "Dapr component " + c.name, needs: source.keeps}
	return a.inEnvironment(n, component, "SuccessfulCreate")
}

// addSecretReader lets the app's pods read Secrets in their namespace, once for every secret store.
func (a *app) addSecretReader() error {
	if _, done := a.graph.nodes["dapr-secret-reader-role"]; done {
		return nil
	}
	name := dnsLabel(a.name+"-dapr-secret-reader", 63, false)
	role := a.role(name, rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"secrets"}, Verbs: []string{"get", "list"}})
	if err := a.inEnvironment(node{name: "dapr-secret-reader-role", what: "Role " + name}, role, "SuccessfulCreate"); err != nil {
		return err
	}
	binding := a.roleBinding(name, rbacv1.Subject{APIGroup: rbacv1.GroupName, Kind: "Group", Name: "system:serviceaccounts:" + a.appNamespace})
	return a.inEnvironment(node{name: "dapr-secret-reader-binding", what: "RoleBinding " + name}, binding, "SuccessfulCreate")
}

// addResiliency adds the policy's Dapr Resiliency for the app's components.
func (a *app) addResiliency(plan []capability) error {
	r := a.policy.Capabilities.Resiliency
	const policy = "capabilities"
	retry := daprio.ResiliencySpecPoliciesRetriesValue{Policy: ptr(r.Retry.Policy), MaxRetries: ptr(r.Retry.MaxRetries)}
	if r.Retry.Policy == "constant" {
		retry.Duration = ptr(r.Retry.Duration)
	} else {
		retry.MaxInterval = ptr(r.Retry.MaxInterval)
	}
	cb := r.CircuitBreaker
	targets := map[string]daprio.ResiliencySpecTargetsComponentsValue{}
	for _, c := range plan {
		t := daprio.ResiliencySpecTargetsComponentsValue{Outbound: &daprio.ResiliencySpecTargetsComponentsValueOutbound{
			Timeout: ptr(policy), Retry: ptr(policy), CircuitBreaker: ptr(policy),
		}}
		if c.kind == "pubsub" {
			t.Inbound = &daprio.ResiliencySpecTargetsComponentsValueInbound{Retry: ptr(policy), CircuitBreaker: ptr(policy)}
		}
		targets[c.name] = t
	}
	resiliency := daprio.NewResiliency()
	name := dnsLabel(a.name+"-capabilities", 63, false)
	resiliency.Metadata = a.objectMeta(name)
	resiliency.Scopes = []string{a.spec.DaprAppID}
	resiliency.Spec = &daprio.ResiliencySpec{
		Policies: &daprio.ResiliencySpecPolicies{
			Timeouts: map[string]string{policy: r.Timeout},
			Retries:  map[string]daprio.ResiliencySpecPoliciesRetriesValue{policy: retry},
			CircuitBreakers: map[string]daprio.ResiliencySpecPoliciesCircuitBreakersValue{policy: {
				MaxRequests: ptr(cb.MaxRequests), Interval: ptr(cb.Interval), Timeout: ptr(cb.Timeout), Trip: ptr(cb.Trip),
			}},
		},
		Targets: &daprio.ResiliencySpecTargets{Components: targets},
	}
	return a.inEnvironment(node{name: "dapr-resiliency", what: "Dapr resiliency " + name}, resiliency, "SuccessfulCreate")
}
