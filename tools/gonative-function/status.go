package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

const isoSeconds = "2006-01-02T15:04:05Z"

// expiry is when spec.ttl runs out, if it is set.
func (env *environment) expiry() (*time.Time, error) {
	if env.spec.TTL == "" || env.created.IsZero() {
		return nil, nil
	}
	ttl, err := parseDuration(env.spec.TTL)
	if err != nil {
		return nil, err
	}
	at := env.created.Add(ttl).UTC()
	return &at, nil
}

var (
	durationPattern = regexp.MustCompile(`^(\d+[dhms])+$`)
	durationPart    = regexp.MustCompile(`(\d+)([dhms])`)
	durationUnit    = map[string]time.Duration{"d": 24 * time.Hour, "h": time.Hour, "m": time.Minute, "s": time.Second}
)

// parseDuration reads spec.ttl as ours does: "72h", "90m", "1h30m" or "7d".
func parseDuration(s string) (time.Duration, error) {
	if !durationPattern.MatchString(s) {
		return 0, fmt.Errorf("spec.ttl: expected a duration such as \"72h\" or \"7d\", got %q", s)
	}
	var total time.Duration
	for _, m := range durationPart.FindAllStringSubmatch(s, -1) {
		n, err := strconv.Atoi(m[1])
		if err != nil {
			return 0, fmt.Errorf("spec.ttl: %w", err)
		}
		total += time.Duration(n) * durationUnit[m[2]]
	}
	return total, nil
}

// addStatus completes the status: phase, where to reach the environment, sleep and provisioning.
func (env *environment) addStatus(status map[string]any, expiry *time.Time, now time.Time) {
	ready := env.graph.allReady(env.graph.order)
	status["phase"] = map[bool]string{true: "Ready", false: "Provisioning"}[ready]
	if env.sleeps != "" {
		status["phase"] = "Asleep"
	}
	if server, _, ok := env.endpoint(); ok {
		status["server"] = server
	}
	status["kubeconfigSecretRef"] = map[string]any{"name": env.kubeconfigSecret(), "namespace": env.namespace, "key": "kubeconfig"}
	status["region"] = env.region()
	status["kubernetesProviderConfigRef"] = map[string]any{"kind": "ProviderConfig", "name": env.providerConfigName()}
	status["network"] = map[string]any{"project": env.gke.Project, "network": "projects/" + env.gke.Project + "/global/networks/" + env.networkName()}
	if runs := minorVersion(env.graph.observedString("gke-cluster", "status", "atProvider", "masterVersion")); runs != "" {
		status["kubernetesVersion"] = runs
	}
	if expiry != nil {
		status["expiresAt"] = expiry.Format(isoSeconds)
		status["sleep"] = env.sleepStatus(*expiry, now)
	}
	status["provisioning"] = env.provisioning(ready)
}

// sleepReason is why the environment sleeps now: expired (where the policy says so), else asleep by
// spec.sleep.asleep; "" while it is awake.
func (env *environment) sleepReason(expiry *time.Time, now time.Time) string {
	switch {
	case expiry != nil && !expiry.After(now) && env.policy.Lifecycle.OnExpiry == "Sleep":
		return "Expired"
	case env.spec.Sleep != nil && env.spec.Sleep.Asleep:
		return "Manual"
	}
	return ""
}

// sleepStatus is status.sleep for an environment with a ttl and no schedule.
func (env *environment) sleepStatus(expiry, now time.Time) map[string]any {
	switch env.sleeps {
	case "Expired":
		return map[string]any{"asleep": true, "reason": "Expired", "since": expiry.Format(isoSeconds)}
	case "Manual":
		return map[string]any{"asleep": true, "reason": "Manual", "since": now.UTC().Format(isoSeconds)}
	}
	sleep := map[string]any{"asleep": false, "since": env.created.UTC().Format(isoSeconds)}
	if env.policy.Lifecycle.OnExpiry == "Sleep" {
		sleep["nextChange"] = expiry.Format(isoSeconds)
	}
	return sleep
}

// minorVersion is "1.35" of "1.35.5-gke.1163000".
func minorVersion(v string) string {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return ""
	}
	return parts[0] + "." + parts[1]
}

// stages of a gke environment, in the order it is provisioned, and the resources of each.
var environmentStages = []struct {
	name    string
	pattern *regexp.Regexp
}{
	{"Network", regexp.MustCompile(`^gke-(network|subnetwork|private-services)`)},
	{"Identity", regexp.MustCompile(`^gke-node-(serviceaccount|role)`)},
	{"ControlPlane", regexp.MustCompile(`^gke-cluster$`)},
	{"Nodes", regexp.MustCompile(`^gke-nodepool$`)},
	{"Access", regexp.MustCompile(`^(providerconfig-|cluster-admin-binding)`)},
	{"Tools", regexp.MustCompile(`^tool-`)},
	{"Registration", regexp.MustCompile(`^argocd-`)},
}

// provisioning is status.provisioning of the environment.
func (env *environment) provisioning(ready bool) map[string]any {
	var defined []stage
	for _, s := range environmentStages {
		var names []string
		for _, name := range env.graph.order {
			if !strings.HasPrefix(name, "usage-") && s.pattern.MatchString(name) {
				names = append(names, name)
			}
		}
		if len(names) > 0 {
			defined = append(defined, stage{name: s.name, resources: names})
		}
	}
	return env.graph.provisioning(defined, env.created, ready)
}
