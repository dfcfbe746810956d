// What the providers and Crossplane's own controllers report once a composed resource exists and is
// ready: the tests' simulation (test/support/request.ts) and the end-to-end test (scripts/e2e.mjs),
// which writes it onto live objects, play them the same way.

/** Ready and Synced conditions, as a provider sets them. */
export function readyConditions(ready = true, at = '2026-11-20T09:05:00Z') {
  return [
    { type: 'Synced', status: 'True', reason: 'ReconcileSuccess', lastTransitionTime: at },
    {
      type: 'Ready',
      status: ready ? 'True' : 'False',
      reason: ready ? 'Available' : 'Creating',
      lastTransitionTime: at,
    },
  ];
}

/** What the cloud providers report in status.atProvider once a cluster or database exists (public data only). */
export function providerReports(desired) {
  const group = String(desired.apiVersion).split('/')[0] ?? '';
  const ca = 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUMuLi4KLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=';
  const forProvider = desired.spec?.forProvider ?? {};
  if (desired.kind === 'Cluster' && group.startsWith('container.gcp')) {
    // GKE runs the newest patch of the minor asked for (a GKE version string).
    const masterVersion = `${forProvider.minMasterVersion}.5-gke.1163000`;
    return { endpoint: '34.90.12.34', masterAuth: { clusterCaCertificate: ca }, masterVersion };
  }
  if (desired.kind === 'NodeGroup' && group.startsWith('eks.aws')) {
    return { version: forProvider.version };
  }
  if (desired.kind === 'Cluster' && group.startsWith('eks.aws')) {
    return {
      version: forProvider.version,
      endpoint: 'https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
      certificateAuthority: [{ data: ca }],
      vpcConfig: {
        vpcId: 'vpc-0a1b2c3d4e5f60718',
        subnetIds: ['subnet-0aaa1111bbbb2222c', 'subnet-0ddd3333eeee4444f'],
        clusterSecurityGroupId: 'sg-0c0ffee0c0ffee001',
      },
    };
  }
  if (desired.kind === 'DatabaseInstance' && group.startsWith('sql.gcp')) {
    return { privateIpAddress: '10.64.0.3', connectionName: 'acme-dev-environments:europe-west4:instance' };
  }
  if (desired.kind === 'Instance' && group.startsWith('rds.aws')) {
    return {
      address: 'instance.c9akciq32.eu-west-1.rds.amazonaws.com',
      port: 5432,
    };
  }
  if (desired.kind === 'Instance' && group.startsWith('redis.gcp')) {
    // Memorystore with TLS listens on 6378 and presents a certificate of Google's per-instance CA.
    const pem = '-----BEGIN CERTIFICATE-----\nMIIC...\n-----END CERTIFICATE-----\n';
    return { host: '10.64.1.4', port: 6378, serverCaCerts: [{ cert: pem, serialNumber: '0' }] };
  }
  if (desired.kind === 'ReplicationGroup' && group.startsWith('elasticache.aws')) {
    return { primaryEndpointAddress: 'master.group.abcdef.euw1.cache.amazonaws.com', port: 6379 };
  }
  return undefined;
}
