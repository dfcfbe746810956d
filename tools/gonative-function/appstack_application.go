package main

import (
	"maps"
	"strings"
	"time"

	"github.com/devplatform/function-devplatform/tools/gonative-function/meta"
	"github.com/devplatform/function-devplatform/tools/gonative-function/models/argoprojio"
)

// Argo CD reports an Application ready when it is synced and healthy.
const applicationReady = "has(object.status) && has(object.status.sync) && object.status.sync.status == 'Synced' && has(object.status.health) && object.status.health.status == 'Healthy'"

func orTrue(b *bool) bool { return b == nil || *b }

// addApplication adds the Argo CD Application delivering the app into the environment, in the
// platform's Argo CD; its finalizer removes what Argo CD deployed when the AppStack goes.
func (a *app) addApplication(name string, needs []string) error {
	argocd := a.policy.Argocd
	application := argoprojio.NewApplication()
	application.Metadata = meta.ObjectMeta{Name: name, Namespace: argocd.Namespace, Labels: maps.Clone(a.labels)}
	source := &argoprojio.ApplicationSpecSource{RepoURL: ptr(a.spec.Source.RepoURL), TargetRevision: ptr(a.spec.Source.TargetRevision)}
	if a.spec.Source.Path != "" {
		source.Path = ptr(a.spec.Source.Path)
	}
	if a.spec.Source.HelmValues != nil {
		values, err := raw(a.spec.Source.HelmValues)
		if err != nil {
			return err
		}
		source.Helm = &argoprojio.ApplicationSpecSourceHelm{ValuesObject: values}
	}
	sync := &argoprojio.ApplicationSpecSyncPolicy{SyncOptions: []string{"CreateNamespace=true"}}
	if orTrue(a.spec.Sync.Automated) {
		sync.Automated = &argoprojio.ApplicationSpecSyncPolicyAutomated{Prune: ptr(orTrue(a.spec.Sync.Prune)), SelfHeal: ptr(orTrue(a.spec.Sync.SelfHeal))}
	}
	application.Spec = &argoprojio.ApplicationSpec{
		Project:     ptr(a.env.ArgocdProject),
		Source:      source,
		Destination: &argoprojio.ApplicationSpecDestination{Name: ptr(a.env.ArgocdClusterName), Namespace: ptr(a.appNamespace)},
		SyncPolicy:  sync,
	}
	manifest, err := toObject(application)
	if err != nil {
		return err
	}
	// Metadata the generated models do not carry: Argo CD's finalizer.
	manifest["metadata"].(map[string]any)["finalizers"] = []any{"resources-finalizer.argocd.argoproj.io"}
	o, err := kubernetesObject(maps.Clone(a.labels), manifest, argocd.KubernetesProviderConfig, "DeriveFromCelQuery")
	if err != nil {
		return err
	}
	o.Spec.Readiness.CelQuery = ptr(applicationReady)
	return a.graph.add(node{name: "application", what: "Argo CD Application " + name, needs: needs}, o)
}

// status is the AppStack's status: where it is delivered, its database and capabilities, and how
// it was provisioned.
func (a *app) status(application string, database backing, capabilities capabilities) map[string]any {
	ready := a.graph.allReady(a.graph.order)
	status := map[string]any{
		"phase":       map[bool]string{true: "Ready", false: "Deploying"}[ready],
		"application": application,
		"destination": map[string]any{"environment": a.envName, "cluster": a.env.ArgocdClusterName, "namespace": a.appNamespace},
		"database":    map[string]any{"secretName": dnsLabel(a.name+"-db", 63, false), "ready": a.graph.allReady(database.ready)},
	}
	if len(a.spec.Capabilities) > 0 {
		status["daprAppId"] = a.spec.DaprAppID
		status["capabilities"] = capabilities.status
	}
	status["provisioning"] = a.graph.provisioning(a.stages(), a.createdAt, ready)
	return status
}

// stages: the Environment (when it was first Ready), the Database (namespace, credentials,
// server), the Capabilities (Redis, Dapr) and the Application.
func (a *app) stages() []stage {
	var database, capabilities []string
	for _, name := range a.graph.order {
		switch {
		case strings.HasPrefix(name, "usage-") || name == "application":
		case name == "redis" || strings.HasPrefix(name, "redis-") || strings.HasPrefix(name, "dapr-"):
			capabilities = append(capabilities, name)
		default:
			database = append(database, name)
		}
	}
	environment := stage{name: "Environment"}
	if t, err := time.Parse(time.RFC3339, a.env.Provisioning.ReadyAt); err == nil {
		environment.readyAt = &t
	}
	out := []stage{environment}
	if len(database) > 0 {
		out = append(out, stage{name: "Database", resources: database})
	}
	if len(capabilities) > 0 {
		out = append(out, stage{name: "Capabilities", resources: capabilities})
	}
	return append(out, stage{name: "Application", resources: []string{"application"}})
}
