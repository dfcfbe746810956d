import { Severity } from '@crossplane-org/function-sdk-typescript';
import { runFunction } from '../../functions/server/handler.js';
import type { JsonObject } from '../../functions/shared/objects.js';
import { validateComposed } from '../support/models.js';
import { compositionInput, desiredOf, readYaml, requestFor, statusOf } from '../support/request.js';
import { FIXED_NOW, simulate } from '../support/simulate.js';

const V2 = compositionInput('apis/devenvironment/composition.yaml');
const LEGACY = compositionInput('apis/claims/devenvironment/composition.yaml');
const xr = readYaml('examples/devenvironment/eks/xr.yaml');
const legacyXr = readYaml('examples/claims/devenvironment-eks/xr.yaml');
const keys = (rsp: ReturnType<typeof runFunction>) =>
  Object.keys(desiredOf(rsp))
    .filter((n) => !n.startsWith('usage-'))
    .sort();
const forProvider = (o: JsonObject | undefined) => (o?.spec as { forProvider: JsonObject }).forProvider;
const labelsOf = (o: JsonObject | undefined) => (o?.metadata as { labels: Record<string, string> }).labels;

describe('eks environment', () => {
  const rounds = simulate(xr, V2);
  const last = desiredOf(rounds[rounds.length - 1]!.response);

  it('comes up in stages: VPC and roles, network, cluster, nodes and access, then what goes inside', () => {
    const stages = rounds.map((r) => keys(r.response));
    expect(stages[0]).toEqual(['eks-cluster-role', 'eks-node-role', 'eks-vpc']);
    expect(stages[1]).toEqual(
      expect.arrayContaining([
        'eks-internet-gateway',
        'eks-public-routetable',
        'eks-subnet-public-a',
        'eks-subnet-private-b',
        'eks-cluster-role-policy',
        'eks-node-role-policy-amazoneks_cni_policy',
      ]),
    );
    const clusterRound = stages.findIndex((s) => s.includes('eks-cluster'));
    expect(stages[clusterRound - 1]).toEqual(
      expect.arrayContaining(['eks-public-route', 'eks-routetable-association-public-a']),
    );
    expect(stages[clusterRound]).not.toContain('eks-nodegroup');
    expect(stages[clusterRound + 1]).toEqual(
      expect.arrayContaining(['eks-nodegroup', 'eks-clusterauth', 'eks-access-team', 'argocd-cluster']),
    );
    expect(stages[stages.length - 1]).toEqual(
      expect.arrayContaining([
        'providerconfig-helm',
        'tool-tekton-pipelines',
        'tool-dapr',
        'cluster-admin-binding',
      ]),
    );
  });

  it('spreads public and private subnets over two zones of the region', () => {
    expect(forProvider(last['eks-subnet-public-a'])).toMatchObject({
      region: 'eu-west-1',
      availabilityZone: 'eu-west-1a',
      cidrBlock: '10.0.0.0/20',
      mapPublicIpOnLaunch: true,
      tags: { 'kubernetes.io/role/elb': '1' },
    });
    expect(forProvider(last['eks-subnet-private-b'])).toMatchObject({
      availabilityZone: 'eu-west-1b',
      cidrBlock: '10.0.144.0/20',
      mapPublicIpOnLaunch: false,
      tags: { 'kubernetes.io/role/internal-elb': '1' },
    });
    expect(labelsOf(last['eks-subnet-private-b'])['devplatform.io/subnet-tier']).toBe('private');
    expect(forProvider(last['eks-public-route'])).toMatchObject({
      destinationCidrBlock: '0.0.0.0/0',
      gatewayIdSelector: { matchLabels: { 'devplatform.io/component': 'eks-internet-gateway' } },
    });
  });

  it('builds the cluster with access entries, nodes sized by spec.size and a ClusterAuth kubeconfig', () => {
    expect(last['eks-cluster']).toMatchObject({
      metadata: { annotations: { 'crossplane.io/external-name': 'team-payments-payments-load' } },
      spec: {
        forProvider: {
          region: 'eu-west-1',
          version: '1.35',
          accessConfig: { authenticationMode: 'API' },
          vpcConfig: {
            subnetIdSelector: {
              matchControllerRef: true,
              matchLabels: { 'devplatform.io/subnet-tier': 'private' },
            },
          },
          roleArnSelector: { matchLabels: { 'devplatform.io/component': 'eks-cluster-role' } },
        },
      },
    });
    expect(JSON.parse(String(forProvider(last['eks-cluster-role']).assumeRolePolicy))).toMatchObject({
      Statement: [{ Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    expect(forProvider(last['eks-nodegroup'])).toMatchObject({
      instanceTypes: ['t3.large'],
      capacityType: 'SPOT',
      scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 2 },
      subnetIdSelector: { matchLabels: { 'devplatform.io/subnet-tier': 'public' } },
    });
    expect(last['eks-clusterauth']?.spec).toMatchObject({
      writeConnectionSecretToRef: { name: 'payments-load-eks-kubeconfig' },
    });
    const principals = Object.entries(last)
      .filter(([k]) => k.startsWith('eks-access-') && !k.startsWith('eks-access-policy-'))
      .map(([, b]) => forProvider(b).principalArn)
      .sort();
    expect(principals).toEqual([
      'arn:aws:iam::123456789012:role/payments-ci',
      'arn:aws:iam::123456789012:role/platform-argocd',
      'arn:aws:iam::123456789012:role/team-payments',
    ]);
    expect(forProvider(last['eks-access-policy-team'])).toMatchObject({
      policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      accessScope: { type: 'cluster' },
    });
    for (const body of Object.values(last)) validateComposed(body);
  });

  it('registers with Argo CD through an AWS role, with only the public endpoint and CA', () => {
    const registration = forProvider(last['argocd-cluster']).manifest as JsonObject;
    expect((registration.spec as JsonObject).forProvider).toMatchObject({
      server: 'https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
      config: {
        awsAuthConfig: {
          clusterName: 'team-payments-payments-load',
          roleARN: 'arn:aws:iam::123456789012:role/platform-argocd',
        },
        tlsClientConfig: { insecure: false },
      },
    });
  });

  it('reports status', () => {
    expect(statusOf(rounds[rounds.length - 1]!.response)).toMatchObject({
      phase: 'Ready',
      region: 'eu-west-1',
      kubeconfigSecretRef: {
        name: 'payments-load-eks-kubeconfig',
        namespace: 'team-payments',
        key: 'kubeconfig',
      },
      argocdClusterName: 'devenv-team-payments-payments-load',
      tools: [
        { name: 'tekton-pipelines', version: '1.1.4', ready: true },
        { name: 'dapr', version: '1.18.3', ready: true },
        { name: 'external-secrets', version: '2.9.0', ready: true },
      ],
      // From the observed cluster: what an AppStack's RDS needs to sit beside it.
      network: {
        vpcId: 'vpc-0a1b2c3d4e5f60718',
        subnetIds: ['subnet-0aaa1111bbbb2222c', 'subnet-0ddd3333eeee4444f'],
        clusterSecurityGroupId: 'sg-0c0ffee0c0ffee001',
      },
    });
    expect(statusOf(rounds[0]!.response).network).toBeUndefined();
  });

  it('uses existing subnets from the policy instead of creating a VPC', () => {
    const input = {
      ...V2,
      environments: {
        ...(V2.environments as JsonObject),
        eks: { network: { existing: { subnetIds: ['subnet-1', 'subnet-2'] } } },
      },
    };
    const r = simulate(xr, input);
    const d = desiredOf(r[r.length - 1]!.response);
    expect(Object.keys(d).filter((k) => k.startsWith('eks-subnet') || k === 'eks-vpc')).toEqual([]);
    expect(forProvider(d['eks-cluster']).vpcConfig).toMatchObject({ subnetIds: ['subnet-1', 'subnet-2'] });
    expect(forProvider(d['eks-nodegroup']).subnetIds).toEqual(['subnet-1', 'subnet-2']);
  });

  it('composes the legacy groups for a claim, at the versions the pinned provider serves', () => {
    const r = simulate(legacyXr, LEGACY);
    const d = desiredOf(r[r.length - 1]!.response);
    expect(d['eks-cluster']?.apiVersion).toBe('eks.aws.upbound.io/v1beta2');
    expect(d['eks-nodegroup']?.apiVersion).toBe('eks.aws.upbound.io/v1beta2');
    expect(d['eks-public-route']?.apiVersion).toBe('ec2.aws.upbound.io/v1beta2');
    expect(forProvider(d['eks-cluster']).region).toBe('us-east-1');
    expect(forProvider(d['eks-nodegroup'])).toMatchObject({
      capacityType: 'ON_DEMAND',
      instanceTypes: ['m6i.2xlarge'],
    });
    for (const body of Object.values(d)) validateComposed(body);
  });

  it('warns about access users that are not IAM ARNs, saying what works', () => {
    const spec = xr.spec as { access: { users: string[]; groups: string[] } };
    const mixed = {
      ...xr,
      spec: { ...spec, access: { ...spec.access, users: [spec.access.users[0]!, 'frank@example.com'] } },
    };
    const rsp = runFunction(requestFor(mixed, { input: V2 }), { now: () => FIXED_NOW });
    const warnings = rsp.results.filter((r) => r.severity === Severity.SEVERITY_WARNING);
    expect(warnings.map((w) => [w.reason, w.message])).toEqual([
      [
        'AccessNotMapped',
        expect.stringMatching(
          /^spec\.access\.users\[1\] "frank@example\.com" is not an IAM ARN: .* Name an IAM role or user ARN/,
        ),
      ],
    ]);
    const plain = runFunction(requestFor(xr, { input: V2 }), { now: () => FIXED_NOW });
    expect(plain.results.filter((r) => r.severity === Severity.SEVERITY_WARNING)).toEqual([]);
  });
});
