package main

// policy is the platform's policy, resolved (ours merges the platform's input with its defaults;
// make bench sends the native reference that result as its input, where a Go function would have
// its own defaults compiled in). Only what the composers here read.
type policy struct {
	Lifecycle struct {
		OnExpiry string `json:"onExpiry"`
	} `json:"lifecycle"`
	Rbac struct {
		TeamGroupPrefix string `json:"teamGroupPrefix"`
	} `json:"rbac"`
	Environments struct {
		Gke gkePolicy `json:"gke"`
		Eks struct {
			ProviderConfig providerConfigRef `json:"providerConfig"`
		} `json:"eks"`
	} `json:"environments"`
	Tools        map[string]toolPolicy `json:"tools"`
	Argocd       argocdPolicy          `json:"argocd"`
	Databases    databasesPolicy       `json:"databases"`
	Capabilities capabilitiesPolicy    `json:"capabilities"`
}

type databasesPolicy struct {
	Postgres struct {
		DefaultVersion string `json:"defaultVersion"`
	} `json:"postgres"`
	PasswordGenerator struct {
		Kind string `json:"kind"`
		Name string `json:"name"`
	} `json:"passwordGenerator"`
	CloudTools []string `json:"cloudTools"`
	Rds        struct {
		Versions            map[string]string `json:"versions"`
		DeletionProtection  bool              `json:"deletionProtection"`
		SkipFinalSnapshot   bool              `json:"skipFinalSnapshot"`
		BackupRetentionDays float64           `json:"backupRetentionDays"`
		Sizes               map[string]struct {
			InstanceClass    string  `json:"instanceClass"`
			AllocatedStorage float64 `json:"allocatedStorage"`
			MultiAz          bool    `json:"multiAz"`
		} `json:"sizes"`
	} `json:"rds"`
}

type capabilitiesPolicy struct {
	Dapr struct {
		Tool string `json:"tool"`
	} `json:"dapr"`
	Statestore struct {
		OnDatabase bool `json:"onDatabase"`
	} `json:"statestore"`
	Redis struct {
		Backends    map[string]string `json:"backends"`
		Tools       []string          `json:"tools"`
		ElastiCache struct {
			NodeType      string  `json:"nodeType"`
			EngineVersion string  `json:"engineVersion"`
			Replicas      float64 `json:"replicas"`
		} `json:"elastiCache"`
	} `json:"redis"`
	Resiliency struct {
		Timeout string `json:"timeout"`
		Retry   struct {
			Policy      string `json:"policy"`
			Duration    string `json:"duration"`
			MaxInterval string `json:"maxInterval"`
			MaxRetries  int64  `json:"maxRetries"`
		} `json:"retry"`
		CircuitBreaker struct {
			MaxRequests int64  `json:"maxRequests"`
			Interval    string `json:"interval"`
			Timeout     string `json:"timeout"`
			Trip        string `json:"trip"`
		} `json:"circuitBreaker"`
	} `json:"resiliency"`
}

type providerConfigRef struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
}

type gkePolicy struct {
	ProviderConfig           providerConfigRef  `json:"providerConfig"`
	DefaultRegion            string             `json:"defaultRegion"`
	DefaultKubernetesVersion string             `json:"defaultKubernetesVersion"`
	Project                  string             `json:"project"`
	ReleaseChannel           string             `json:"releaseChannel"`
	DeletionProtection       bool               `json:"deletionProtection"`
	Sizes                    map[string]gkeSize `json:"sizes"`
	Network                  struct {
		Existing            any    `json:"existing"`
		NodesCidr           string `json:"nodesCidr"`
		PodsCidr            string `json:"podsCidr"`
		ServicesCidr        string `json:"servicesCidr"`
		PrivateServicesCidr string `json:"privateServicesCidr"`
	} `json:"network"`
	NodeServiceAccountRoles []string `json:"nodeServiceAccountRoles"`
	ProviderIdentity        struct {
		Source string `json:"source"`
	} `json:"providerIdentity"`
}

type gkeSize struct {
	MachineType string   `json:"machineType"`
	MinNodes    float64  `json:"minNodes"`
	MaxNodes    float64  `json:"maxNodes"`
	Spot        bool     `json:"spot"`
	DiskSizeGb  *float64 `json:"diskSizeGb"`
}

type toolPolicy struct {
	Chart *struct {
		Repository string `json:"repository"`
		Name       string `json:"name"`
		Version    string `json:"version"`
	} `json:"chart"`
	Namespace string           `json:"namespace"`
	Manifests []map[string]any `json:"manifests"`
	DependsOn []string         `json:"dependsOn"`
	Values    map[string]any   `json:"values"`
}

type argocdPolicy struct {
	Enabled                  bool              `json:"enabled"`
	Namespace                string            `json:"namespace"`
	ProviderConfig           string            `json:"providerConfig"`
	KubernetesProviderConfig providerConfigRef `json:"kubernetesProviderConfig"`
	SourceRepos              []string          `json:"sourceRepos"`
	GkeExecCommand           string            `json:"gkeExecCommand"`
}
