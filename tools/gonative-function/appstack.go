package main

import (
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/crossplane/function-sdk-go/resource"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/devplatform/function-devplatform/tools/gonative-function/models/protection"
)

func init() { composers["AppStack"] = composeAppStack }

// appStackSpec is an AppStack's spec.
type appStackSpec struct {
	EnvironmentRef struct {
		Name string `json:"name"`
	} `json:"environmentRef"`
	Source struct {
		RepoURL        string         `json:"repoURL"`
		Path           string         `json:"path"`
		TargetRevision string         `json:"targetRevision"`
		HelmValues     map[string]any `json:"helmValues"`
	} `json:"source"`
	Namespace string `json:"namespace"`
	Sync      struct {
		Automated *bool `json:"automated"`
		Prune     *bool `json:"prune"`
		SelfHeal  *bool `json:"selfHeal"`
	} `json:"sync"`
	Database *struct {
		Engine  string `json:"engine"`
		Version string `json:"version"`
		Size    string `json:"size"`
	} `json:"database"`
	DaprAppID    string `json:"daprAppId"`
	Capabilities []struct {
		Type string `json:"type"`
		Name string `json:"name"`
	} `json:"capabilities"`
}

// targetEnvironment is what the AppStack reads of its DevEnvironment's status.
type targetEnvironment struct {
	Phase                       string            `json:"phase"`
	ArgocdClusterName           string            `json:"argocdClusterName"`
	ArgocdProject               string            `json:"argocdProject"`
	KubernetesProviderConfigRef providerConfigRef `json:"kubernetesProviderConfigRef"`
	Region                      string            `json:"region"`
	Network                     struct {
		VpcID                  string   `json:"vpcId"`
		SubnetIDs              []string `json:"subnetIds"`
		ClusterSecurityGroupID string   `json:"clusterSecurityGroupId"`
	} `json:"network"`
	Tools []struct {
		Name string `json:"name"`
	} `json:"tools"`
	Provisioning struct {
		ReadyAt string `json:"readyAt"`
	} `json:"provisioning"`
}

// app is what the composers of one AppStack share.
type app struct {
	name, namespace, key, created string
	createdAt                     time.Time
	spec                          appStackSpec
	policy                        *policy
	envName, envType              string
	env                           targetEnvironment
	appNamespace                  string
	graph                         *graph
	labels                        map[string]string
}

// composeAppStack composes a namespaced AppStack in a ready eks environment, with RDS and
// ElastiCache behind its database and capabilities (the bench's case); it refuses what else an
// AppStack can be rather than compose it wrongly.
func composeAppStack(in composeInput) (map[resource.Name]*resource.DesiredComposed, map[string]any, error) {
	a, err := newApp(in)
	if err != nil {
		return nil, nil, err
	}
	status, err := a.compose()
	if err != nil {
		return nil, nil, err
	}
	return a.graph.desired(), status, nil
}

func newApp(in composeInput) (*app, error) {
	a := &app{name: in.xr.GetName(), namespace: in.xr.GetNamespace(), policy: in.policy, graph: newGraph(in.observed)}
	if err := specOf(in.xr, &a.spec); err != nil {
		return nil, err
	}
	if a.namespace == "" {
		return nil, fmt.Errorf("the native reference composes namespaced AppStacks only")
	}
	a.key = a.namespace + "-" + a.name
	a.created = stringIn(in.xr.Object, "metadata", "creationTimestamp")
	a.createdAt = in.xr.GetCreationTimestamp().Time
	a.envName = a.spec.EnvironmentRef.Name
	if err := a.readEnvironment(in.required["environment"]); err != nil {
		return nil, err
	}
	a.appNamespace = a.spec.Namespace
	if a.appNamespace == "" {
		a.appNamespace = dnsLabel(a.name, 63, false)
	}
	if a.spec.DaprAppID == "" {
		a.spec.DaprAppID = dnsLabel(a.name, 63, false)
	}
	a.labels = map[string]string{
		"devplatform.io/appstack":        dnsLabel(a.name, 63, false),
		"devplatform.io/owner-namespace": dnsLabel(a.namespace, 63, false),
		"devplatform.io/environment":     dnsLabel(a.envName, 63, false),
	}
	return a, nil
}

// readEnvironment reads the DevEnvironment Crossplane fetched for the AppStack.
func (a *app) readEnvironment(fetched []resource.Required) error {
	if len(fetched) == 0 {
		return fmt.Errorf("the native reference composes AppStacks whose DevEnvironment is fetched and ready")
	}
	env := fetched[0].Resource.Object
	status, _ := env["status"].(map[string]any)
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(status, &a.env); err != nil {
		return fmt.Errorf("DevEnvironment %s status: %w", a.envName, err)
	}
	a.envType = stringIn(env, "spec", "type")
	if a.env.Phase != "Ready" || a.envType != "eks" || a.env.ArgocdClusterName == "" {
		return fmt.Errorf("the native reference composes into ready, registered eks environments only")
	}
	return nil
}

func (a *app) compose() (map[string]any, error) {
	a.graph.outsiders["environment"] = outsider{
		what: "DevEnvironment " + a.envName,
		party: &protection.UsageSpecOf{
			ApiVersion: ptr("devplatform.io/v1alpha1"), Kind: ptr("DevEnvironment"),
			ResourceRef: &protection.UsageSpecOfResourceRef{Name: ptr(a.envName)},
		},
		usageName: func(by string) string {
			return dnsLabel("appstack-"+a.name+"-"+by+"-uses-"+a.envName, 253, false)
		},
	}
	if err := a.requireTools(); err != nil {
		return nil, err
	}
	if err := a.addNamespace(); err != nil {
		return nil, err
	}
	database, err := a.addDatabase()
	if err != nil {
		return nil, err
	}
	capabilities, err := a.addCapabilities(database)
	if err != nil {
		return nil, err
	}
	application := a.applicationName()
	needs := append([]string{"environment"}, database.keeps...)
	needs = append(needs, capabilities.keeps...)
	if err := a.addApplication(application, needs); err != nil {
		return nil, err
	}
	if err := a.graph.addDeletionOrder(a.labels); err != nil {
		return nil, err
	}
	return a.status(application, database, capabilities), nil
}

// requireTools refuses an environment without the tools the app's database and capabilities need.
func (a *app) requireTools() error {
	needed := append([]string{}, a.policy.Databases.CloudTools...)
	needed = append(needed, a.policy.Capabilities.Dapr.Tool)
	needed = append(needed, a.policy.Capabilities.Redis.Tools...)
	for _, tool := range needed {
		found := false
		for _, t := range a.env.Tools {
			found = found || t.Name == tool
		}
		if !found {
			return fmt.Errorf("spec.environmentRef.name: DevEnvironment %s needs the tool %s; add it to its spec.tools", a.envName, tool)
		}
	}
	return nil
}

func (a *app) providerConfig() providerConfigRef { return a.env.KubernetesProviderConfigRef }

// inEnvironment adds an Object creating manifest in the app's namespace in the environment.
func (a *app) inEnvironment(n node, manifest any, readiness string) error {
	o, err := kubernetesObject(maps.Clone(a.labels), manifest, a.providerConfig(), readiness)
	if err != nil {
		return err
	}
	return a.graph.add(n, o)
}

// uniqueName is a name of at most max characters that differs for an AppStack created again.
func (a *app) uniqueName(max int) string {
	base := strings.TrimRight(dashes.ReplaceAllString(dnsLabel(a.key, max, true), "-"), "-")
	return base + "-" + shortHash(a.key+"/"+a.created, 6)
}

func (a *app) applicationName() string {
	if kept := a.graph.observedString("application", "spec", "forProvider", "manifest", "metadata", "name"); kept != "" {
		return kept
	}
	return dnsLabel(a.key, 63, false)
}
