import { ServiceAccount as LegacyServiceAccount } from '../../models/crds/cloudplatform.gcp.upbound.io/v1beta1/ServiceAccount.js';
import { ProjectIAMMember as LegacyProjectIAMMember } from '../../models/crds/cloudplatform.gcp.upbound.io/v1beta2/ProjectIAMMember.js';
import { ProjectIAMMember } from '../../models/crds/cloudplatform.gcp.m.upbound.io/v1beta1/ProjectIAMMember.js';
import { ServiceAccount } from '../../models/crds/cloudplatform.gcp.m.upbound.io/v1beta1/ServiceAccount.js';
import { Network as LegacyNetwork } from '../../models/crds/compute.gcp.upbound.io/v1beta1/Network.js';
import { Subnetwork as LegacySubnetwork } from '../../models/crds/compute.gcp.upbound.io/v1beta2/Subnetwork.js';
import { Network } from '../../models/crds/compute.gcp.m.upbound.io/v1beta1/Network.js';
import { Subnetwork } from '../../models/crds/compute.gcp.m.upbound.io/v1beta1/Subnetwork.js';
import { Cluster as LegacyCluster } from '../../models/crds/container.gcp.upbound.io/v1beta2/Cluster.js';
import { NodePool as LegacyNodePool } from '../../models/crds/container.gcp.upbound.io/v1beta2/NodePool.js';
import { Cluster } from '../../models/crds/container.gcp.m.upbound.io/v1beta1/Cluster.js';
import { NodePool } from '../../models/crds/container.gcp.m.upbound.io/v1beta1/NodePool.js';
import { GlobalAddress as LegacyGlobalAddress } from '../../models/crds/compute.gcp.upbound.io/v1beta1/GlobalAddress.js';
import { GlobalAddress } from '../../models/crds/compute.gcp.m.upbound.io/v1beta1/GlobalAddress.js';
import { Connection as LegacyConnection } from '../../models/crds/servicenetworking.gcp.upbound.io/v1beta1/Connection.js';
import { Connection } from '../../models/crds/servicenetworking.gcp.m.upbound.io/v1beta1/Connection.js';
import { Database as LegacyDatabase } from '../../models/crds/sql.gcp.upbound.io/v1beta1/Database.js';
import { DatabaseInstance as LegacyDatabaseInstance } from '../../models/crds/sql.gcp.upbound.io/v1beta2/DatabaseInstance.js';
import { User as LegacyUser } from '../../models/crds/sql.gcp.upbound.io/v1beta2/User.js';
import { Database } from '../../models/crds/sql.gcp.m.upbound.io/v1beta1/Database.js';
import { DatabaseInstance } from '../../models/crds/sql.gcp.m.upbound.io/v1beta1/DatabaseInstance.js';
import { User } from '../../models/crds/sql.gcp.m.upbound.io/v1beta1/User.js';
import { Instance as LegacyRedisInstance } from '../../models/crds/redis.gcp.upbound.io/v1beta2/Instance.js';
import { Instance as RedisInstance } from '../../models/crds/redis.gcp.m.upbound.io/v1beta1/Instance.js';
import type { KindModels } from './managed.js';

/**
 * provider-upjet-gcp kinds in both groups. The legacy group serves only v1beta2 of Subnetwork,
 * ProjectIAMMember, Cluster, NodePool, sql DatabaseInstance, sql User and redis Instance at the pinned provider release (v3.0.0); the `.m.` group
 * serves v1beta1 of every kind, with the same shapes.
 */
export const GCP = {
  network: { namespaced: Network, legacy: LegacyNetwork },
  subnetwork: { namespaced: Subnetwork, legacy: LegacySubnetwork },
  serviceAccount: { namespaced: ServiceAccount, legacy: LegacyServiceAccount },
  projectIAMMember: { namespaced: ProjectIAMMember, legacy: LegacyProjectIAMMember },
  cluster: { namespaced: Cluster, legacy: LegacyCluster },
  nodePool: { namespaced: NodePool, legacy: LegacyNodePool },
  globalAddress: { namespaced: GlobalAddress, legacy: LegacyGlobalAddress },
  serviceNetworkingConnection: { namespaced: Connection, legacy: LegacyConnection },
  sqlDatabaseInstance: { namespaced: DatabaseInstance, legacy: LegacyDatabaseInstance },
  sqlDatabase: { namespaced: Database, legacy: LegacyDatabase },
  sqlUser: { namespaced: User, legacy: LegacyUser },
  redisInstance: { namespaced: RedisInstance, legacy: LegacyRedisInstance },
} satisfies Record<string, KindModels<never, never>>;
