package main

import (
	"fmt"
	"maps"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/devplatform/function-devplatform/tools/gonative-function/meta"
	"github.com/devplatform/function-devplatform/tools/gonative-function/models/ec2awsm"
	"github.com/devplatform/function-devplatform/tools/gonative-function/models/externalsecretsio"
	"github.com/devplatform/function-devplatform/tools/gonative-function/models/kubernetesm"
	"github.com/devplatform/function-devplatform/tools/gonative-function/models/rdsawsm"
)

const (
	databaseName = "app"
	databaseUser = "app"
	postgresPort = 5432
)

// backing is what a backing service hands the app: what the app keeps while it exists (Usages)
// and what has to be ready for it to be (status).
type backing struct {
	keeps []string
	ready []string
}

// header starts a Kubernetes object of a core kind, with the metadata a function sets (see meta).
type header struct {
	APIVersion string          `json:"apiVersion"`
	Kind       string          `json:"kind"`
	Metadata   meta.ObjectMeta `json:"metadata"`
}

type roleManifest struct {
	header `json:",inline"`
	Rules  []rbacv1.PolicyRule `json:"rules"`
}

type roleBindingManifest struct {
	header   `json:",inline"`
	RoleRef  rbacv1.RoleRef   `json:"roleRef"`
	Subjects []rbacv1.Subject `json:"subjects"`
}

func (a *app) objectMeta(name string) meta.ObjectMeta {
	return meta.ObjectMeta{Name: name, Namespace: a.appNamespace, Labels: maps.Clone(a.labels)}
}

// addNamespace creates the app's namespace in the environment, first.
func (a *app) addNamespace() error {
	ns := header{APIVersion: "v1", Kind: "Namespace", Metadata: meta.ObjectMeta{Name: a.appNamespace, Labels: maps.Clone(a.labels)}}
	return a.inEnvironment(node{name: "app-namespace", what: "namespace " + a.appNamespace + " in the environment"}, ns, "DeriveFromObject")
}

// addGeneratedPassword adds an ExternalSecret generating a password once in the app's namespace,
// which provider-kubernetes mirrors to the platform Secret mirror for the cloud provider to read.
func (a *app) addGeneratedPassword(resourceName, what, secret, mirror string) error {
	generator := a.policy.Databases.PasswordGenerator
	es := externalsecretsio.NewExternalSecret()
	es.Metadata = a.objectMeta(secret)
	es.Spec = &externalsecretsio.ExternalSecretSpec{
		RefreshPolicy: ptr("CreatedOnce"),
		DataFrom: []externalsecretsio.ExternalSecretSpecDataFrom{{SourceRef: &externalsecretsio.ExternalSecretSpecDataFromSourceRef{
			GeneratorRef: &externalsecretsio.ExternalSecretSpecDataFromSourceRefGeneratorRef{
				ApiVersion: ptr("generators.external-secrets.io/v1alpha1"), Kind: ptr(generator.Kind), Name: ptr(generator.Name),
			},
		}}},
		Target: &externalsecretsio.ExternalSecretSpecTarget{Name: ptr(secret), CreationPolicy: ptr("Orphan")},
	}
	o, err := kubernetesObject(maps.Clone(a.labels), es, a.providerConfig(), "DeriveFromObject")
	if err != nil {
		return err
	}
	o.Spec.ConnectionDetails = []kubernetesm.ObjectSpecConnectionDetails{{
		ApiVersion: ptr("v1"), Kind: ptr("Secret"), Name: ptr(secret), Namespace: ptr(a.appNamespace),
		FieldPath: ptr("data.password"), ToConnectionSecretKey: ptr("password"),
	}}
	o.Spec.WriteConnectionSecretToRef = &kubernetesm.ObjectSpecWriteConnectionSecretToRef{Name: ptr(mirror)}
	return a.graph.add(node{name: resourceName, what: what}, o)
}

// addDatabase adds the app's RDS database (eks environments) and the credentials the app mounts.
func (a *app) addDatabase() (backing, error) {
	db := a.spec.Database
	if db == nil || db.Engine != "postgres" {
		return backing{}, fmt.Errorf("the native reference composes AppStacks with a postgres database only")
	}
	if err := a.addGeneratedPassword("database-password", "the database password", dnsLabel(a.name+"-db-password", 63, false), dnsLabel(a.name, 40, false)+"-db-password"); err != nil {
		return backing{}, err
	}
	placement, err := a.addPlacement("database", "database", "PostgreSQL", postgresPort, "database subnet group",
		fmt.Sprintf("AppStack %s in DevEnvironment %s", a.key, a.envName), rdsSubnetGroup)
	if err != nil {
		return backing{}, err
	}
	if err := a.addInstance(placement); err != nil {
		return backing{}, err
	}
	if err := a.addCredentials(); err != nil {
		return backing{}, err
	}
	return backing{keeps: []string{"database"}, ready: []string{"database", "database-ingress", "database-credentials"}}, nil
}

func (a *app) tags() map[string]string {
	return map[string]string{"devplatform-appstack": dnsLabel(a.key, 63, false)}
}

func (a *app) awsProviderConfig() providerConfigRef { return a.policy.Environments.Eks.ProviderConfig }

// subnetGroup adds a subnet group over the environment's subnets (RDS or ElastiCache).
type subnetGroup func(a *app, name, what, description string) error

func rdsSubnetGroup(a *app, name, what, description string) error {
	pc := a.awsProviderConfig()
	group := rdsawsm.NewSubnetGroup()
	group.Metadata = meta.ObjectMeta{Labels: maps.Clone(a.labels)}
	group.Spec = &rdsawsm.SubnetGroupSpec{
		ForProvider:       &rdsawsm.SubnetGroupSpecForProvider{Region: ptr(a.env.Region), SubnetIds: a.env.Network.SubnetIDs, Description: ptr(description), Tags: a.tags()},
		ProviderConfigRef: &rdsawsm.SubnetGroupSpecProviderConfigRef{Kind: ptr(pc.Kind), Name: ptr(pc.Name)},
	}
	return a.graph.add(node{name: name, what: what, needs: []string{"environment"}}, group)
}

// addPlacement adds a service's subnet group and a security group open on its port to the
// environment's cluster only; it returns what the service keeps of them.
func (a *app) addPlacement(prefix, what, service string, port float64, subnetWhat, description string, addSubnets subnetGroup) ([]string, error) {
	if err := addSubnets(a, prefix+"-subnet-group", subnetWhat, description); err != nil {
		return nil, err
	}
	pc := a.awsProviderConfig()
	group := ec2awsm.NewSecurityGroup()
	group.Metadata = meta.ObjectMeta{Labels: maps.Clone(a.labels)}
	group.Spec = &ec2awsm.SecurityGroupSpec{
		ForProvider: &ec2awsm.SecurityGroupSpecForProvider{
			Region: ptr(a.env.Region), VpcId: ptr(a.env.Network.VpcID), Tags: a.tags(),
			Description: ptr(fmt.Sprintf("%s of AppStack %s, from the cluster of DevEnvironment %s", service, a.key, a.envName)),
		},
		ProviderConfigRef: &ec2awsm.SecurityGroupSpecProviderConfigRef{Kind: ptr(pc.Kind), Name: ptr(pc.Name)},
	}
	if err := a.graph.add(node{name: prefix + "-security-group", what: what + " security group", needs: []string{"environment"}}, group); err != nil {
		return nil, err
	}
	rule := ec2awsm.NewSecurityGroupIngressRule()
	rule.Metadata = meta.ObjectMeta{Labels: maps.Clone(a.labels)}
	rule.Spec = &ec2awsm.SecurityGroupIngressRuleSpec{
		ForProvider: &ec2awsm.SecurityGroupIngressRuleSpecForProvider{
			Region: ptr(a.env.Region),
			SecurityGroupIdSelector: &ec2awsm.SecurityGroupIngressRuleSpecForProviderSecurityGroupIdSelector{
				MatchControllerRef: ptr(true), MatchLabels: selectorLabels(prefix + "-security-group"),
			},
			IpProtocol: ptr("tcp"), FromPort: ptr(port), ToPort: ptr(port),
			ReferencedSecurityGroupId: ptr(a.env.Network.ClusterSecurityGroupID),
			Description:               ptr(service + " from the environment cluster"), Tags: a.tags(),
		},
		ProviderConfigRef: &ec2awsm.SecurityGroupIngressRuleSpecProviderConfigRef{Kind: ptr(pc.Kind), Name: ptr(pc.Name)},
	}
	// Deleting a security group deletes its rules: no Usage.
	if err := a.graph.add(node{name: prefix + "-ingress", what: what + " security group rule"}, rule); err != nil {
		return nil, err
	}
	return []string{prefix + "-subnet-group", prefix + "-security-group"}, nil
}

func (a *app) rdsIdentifier() string {
	if kept := a.graph.observedString("database", "spec", "forProvider", "identifier"); kept != "" {
		return kept
	}
	return a.uniqueName(55)
}

func (a *app) addInstance(placement []string) error {
	rds := a.policy.Databases.Rds
	db := a.spec.Database
	size, ok := rds.Sizes[db.Size]
	if !ok {
		return fmt.Errorf("spec.database.size: the policy has no RDS size %q", db.Size)
	}
	version := db.Version
	if version == "" {
		version = a.policy.Databases.Postgres.DefaultVersion
	}
	engineVersion, ok := rds.Versions[version]
	if !ok {
		return fmt.Errorf("spec.database.version: %q is not offered for eks environments", version)
	}
	identifier := a.rdsIdentifier()
	pc := a.awsProviderConfig()
	instance := rdsawsm.NewInstance()
	instance.Metadata = meta.ObjectMeta{Labels: maps.Clone(a.labels)}
	forProvider := &rdsawsm.InstanceSpecForProvider{
		Region: ptr(a.env.Region), Identifier: ptr(identifier), Engine: ptr("postgres"), EngineVersion: ptr(engineVersion),
		InstanceClass: ptr(size.InstanceClass), AllocatedStorage: ptr(size.AllocatedStorage), MaxAllocatedStorage: ptr(size.AllocatedStorage * 4),
		StorageType: ptr("gp3"), StorageEncrypted: ptr(true), MultiAz: ptr(size.MultiAz), DbName: ptr(databaseName), Username: ptr(databaseUser),
		PasswordSecretRef: &rdsawsm.InstanceSpecForProviderPasswordSecretRef{Name: ptr(dnsLabel(a.name, 40, false) + "-db-password"), Key: ptr("password")},
		DbSubnetGroupNameSelector: &rdsawsm.InstanceSpecForProviderDbSubnetGroupNameSelector{
			MatchControllerRef: ptr(true), MatchLabels: selectorLabels("database-subnet-group"),
		},
		VpcSecurityGroupIdSelector: &rdsawsm.InstanceSpecForProviderVpcSecurityGroupIdSelector{
			MatchControllerRef: ptr(true), MatchLabels: selectorLabels("database-security-group"),
		},
		PubliclyAccessible: ptr(false), BackupRetentionPeriod: ptr(rds.BackupRetentionDays),
		DeletionProtection: ptr(rds.DeletionProtection), SkipFinalSnapshot: ptr(rds.SkipFinalSnapshot),
		AutoMinorVersionUpgrade: ptr(true), ApplyImmediately: ptr(true), CopyTagsToSnapshot: ptr(true), Tags: a.tags(),
	}
	if !rds.SkipFinalSnapshot {
		forProvider.FinalSnapshotIdentifier = ptr(identifier + "-final")
	}
	instance.Spec = &rdsawsm.InstanceSpec{
		ForProvider:       forProvider,
		ProviderConfigRef: &rdsawsm.InstanceSpecProviderConfigRef{Kind: ptr(pc.Kind), Name: ptr(pc.Name)},
	}
	n := node{name: "database", what: "RDS instance " + identifier, needs: append([]string{"environment"}, placement...)}
	return a.graph.add(n, instance)
}

// addCredentials delivers the Secret the app mounts: an ExternalSecret reading the generated
// password through a SecretStore confined to the app's namespace, templated with the address.
func (a *app) addCredentials() error {
	reader := dnsLabel(a.name+"-db-reader", 63, false)
	password := dnsLabel(a.name+"-db-password", 63, false)
	secret := dnsLabel(a.name+"-db", 63, false)
	parts := []struct {
		name, what string
		manifest   any
	}{
		{"database-credentials-reader", "service account " + reader, header{APIVersion: "v1", Kind: "ServiceAccount", Metadata: a.objectMeta(reader)}},
		{"database-credentials-reader-role", "role " + reader, a.role(reader, rbacv1.PolicyRule{
			APIGroups: []string{""}, Resources: []string{"secrets"}, ResourceNames: []string{password}, Verbs: []string{"get"},
		})},
		{"database-credentials-reader-binding", "role binding " + reader, a.roleBinding(reader, rbacv1.Subject{Kind: "ServiceAccount", Name: reader, Namespace: a.appNamespace})},
	}
	for _, p := range parts {
		if err := a.inEnvironment(node{name: p.name, what: p.what}, p.manifest, "SuccessfulCreate"); err != nil {
			return err
		}
	}
	if err := a.addSecretStore(secret, reader); err != nil {
		return err
	}
	return a.addCredentialsSecret(secret, password)
}

// role is a Role in the app's namespace.
func (a *app) role(name string, rule rbacv1.PolicyRule) roleManifest {
	return roleManifest{header: header{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "Role", Metadata: a.objectMeta(name)}, Rules: []rbacv1.PolicyRule{rule}}
}

// roleBinding binds the Role of the same name in the app's namespace to subject.
func (a *app) roleBinding(name string, subject rbacv1.Subject) roleBindingManifest {
	return roleBindingManifest{
		header:   header{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "RoleBinding", Metadata: a.objectMeta(name)},
		RoleRef:  rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: name},
		Subjects: []rbacv1.Subject{subject},
	}
}

func (a *app) addSecretStore(name, reader string) error {
	store := externalsecretsio.NewSecretStore()
	store.Metadata = a.objectMeta(name)
	store.Spec = &externalsecretsio.SecretStoreSpec{Provider: &externalsecretsio.SecretStoreSpecProvider{
		Kubernetes: &externalsecretsio.SecretStoreSpecProviderKubernetes{
			RemoteNamespace: ptr(a.appNamespace),
			Server: &externalsecretsio.SecretStoreSpecProviderKubernetesServer{CaProvider: &externalsecretsio.SecretStoreSpecProviderKubernetesServerCaProvider{
				Type: ptr("ConfigMap"), Name: ptr("kube-root-ca.crt"), Key: ptr("ca.crt"),
			}},
			Auth: &externalsecretsio.SecretStoreSpecProviderKubernetesAuth{ServiceAccount: &externalsecretsio.SecretStoreSpecProviderKubernetesAuthServiceAccount{Name: ptr(reader)}},
		},
	}}
	return a.inEnvironment(node{name: "database-credentials-store", what: "secret store " + name}, store, "DeriveFromObject")
}

func (a *app) addCredentialsSecret(secret, password string) error {
	host := a.graph.observedString("database", "status", "atProvider", "address")
	if host == "" {
		return fmt.Errorf("the native reference composes AppStacks whose database reports its address")
	}
	port := postgresPort
	if p, ok := a.graph.observedNumber("database", "status", "atProvider", "port"); ok && p > 0 {
		port = int(p)
	}
	address := host + ":" + strconv.Itoa(port)
	es := externalsecretsio.NewExternalSecret()
	es.Metadata = a.objectMeta(secret)
	es.Spec = &externalsecretsio.ExternalSecretSpec{
		RefreshPolicy: ptr("Periodic"), RefreshInterval: ptr("1h"),
		SecretStoreRef: &externalsecretsio.ExternalSecretSpecSecretStoreRef{Kind: ptr("SecretStore"), Name: ptr(secret)},
		Data: []externalsecretsio.ExternalSecretSpecData{{
			SecretKey: ptr("password"), RemoteRef: &externalsecretsio.ExternalSecretSpecDataRemoteRef{Key: ptr(password), Property: ptr("password")},
		}},
		Target: &externalsecretsio.ExternalSecretSpecTarget{
			Name: ptr(secret), CreationPolicy: ptr("Owner"),
			Template: &externalsecretsio.ExternalSecretSpecTargetTemplate{
				Type: ptr(string(corev1.SecretTypeBasicAuth)), EngineVersion: ptr("v2"),
				Data: map[string]string{
					"host": host, "port": strconv.Itoa(port), "username": databaseUser, "password": "{{ .password }}", "database": databaseName,
					"uri": "postgresql://" + databaseUser + ":{{ .password }}@" + address + "/" + databaseName + "?sslmode=require",
				},
			},
		},
	}
	return a.inEnvironment(node{name: "database-credentials", what: "Secret " + secret}, es, "DeriveFromObject")
}
