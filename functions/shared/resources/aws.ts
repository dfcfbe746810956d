import { InternetGateway as LegacyInternetGateway } from '../../models/crds/ec2.aws.upbound.io/v1beta1/InternetGateway.js';
import { RouteTable as LegacyRouteTable } from '../../models/crds/ec2.aws.upbound.io/v1beta1/RouteTable.js';
import { RouteTableAssociation as LegacyRouteTableAssociation } from '../../models/crds/ec2.aws.upbound.io/v1beta1/RouteTableAssociation.js';
import { Subnet as LegacySubnet } from '../../models/crds/ec2.aws.upbound.io/v1beta1/Subnet.js';
import { VPC as LegacyVPC } from '../../models/crds/ec2.aws.upbound.io/v1beta1/VPC.js';
import { Route as LegacyRoute } from '../../models/crds/ec2.aws.upbound.io/v1beta2/Route.js';
import { InternetGateway } from '../../models/crds/ec2.aws.m.upbound.io/v1beta1/InternetGateway.js';
import { Route } from '../../models/crds/ec2.aws.m.upbound.io/v1beta1/Route.js';
import { RouteTable } from '../../models/crds/ec2.aws.m.upbound.io/v1beta1/RouteTable.js';
import { RouteTableAssociation } from '../../models/crds/ec2.aws.m.upbound.io/v1beta1/RouteTableAssociation.js';
import { Subnet } from '../../models/crds/ec2.aws.m.upbound.io/v1beta1/Subnet.js';
import { VPC } from '../../models/crds/ec2.aws.m.upbound.io/v1beta1/VPC.js';
import { AccessEntry as LegacyAccessEntry } from '../../models/crds/eks.aws.upbound.io/v1beta1/AccessEntry.js';
import { AccessPolicyAssociation as LegacyAccessPolicyAssociation } from '../../models/crds/eks.aws.upbound.io/v1beta1/AccessPolicyAssociation.js';
import { ClusterAuth as LegacyClusterAuth } from '../../models/crds/eks.aws.upbound.io/v1beta1/ClusterAuth.js';
import { Cluster as LegacyCluster } from '../../models/crds/eks.aws.upbound.io/v1beta2/Cluster.js';
import { NodeGroup as LegacyNodeGroup } from '../../models/crds/eks.aws.upbound.io/v1beta2/NodeGroup.js';
import { AccessEntry } from '../../models/crds/eks.aws.m.upbound.io/v1beta1/AccessEntry.js';
import { AccessPolicyAssociation } from '../../models/crds/eks.aws.m.upbound.io/v1beta1/AccessPolicyAssociation.js';
import { Cluster } from '../../models/crds/eks.aws.m.upbound.io/v1beta1/Cluster.js';
import { ClusterAuth } from '../../models/crds/eks.aws.m.upbound.io/v1beta1/ClusterAuth.js';
import { NodeGroup } from '../../models/crds/eks.aws.m.upbound.io/v1beta1/NodeGroup.js';
import { Role as LegacyRole } from '../../models/crds/iam.aws.upbound.io/v1beta1/Role.js';
import { RolePolicyAttachment as LegacyRolePolicyAttachment } from '../../models/crds/iam.aws.upbound.io/v1beta1/RolePolicyAttachment.js';
import { Role } from '../../models/crds/iam.aws.m.upbound.io/v1beta1/Role.js';
import { RolePolicyAttachment } from '../../models/crds/iam.aws.m.upbound.io/v1beta1/RolePolicyAttachment.js';
import { SecurityGroup as LegacySecurityGroup } from '../../models/crds/ec2.aws.upbound.io/v1beta1/SecurityGroup.js';
import { SecurityGroupIngressRule as LegacySecurityGroupIngressRule } from '../../models/crds/ec2.aws.upbound.io/v1beta1/SecurityGroupIngressRule.js';
import { SecurityGroup } from '../../models/crds/ec2.aws.m.upbound.io/v1beta1/SecurityGroup.js';
import { SecurityGroupIngressRule } from '../../models/crds/ec2.aws.m.upbound.io/v1beta1/SecurityGroupIngressRule.js';
import { Instance as LegacyDbInstance } from '../../models/crds/rds.aws.upbound.io/v1beta3/Instance.js';
import { SubnetGroup as LegacyDbSubnetGroup } from '../../models/crds/rds.aws.upbound.io/v1beta1/SubnetGroup.js';
import { Instance as DbInstance } from '../../models/crds/rds.aws.m.upbound.io/v1beta1/Instance.js';
import { SubnetGroup as DbSubnetGroup } from '../../models/crds/rds.aws.m.upbound.io/v1beta1/SubnetGroup.js';
import { ReplicationGroup as LegacyReplicationGroup } from '../../models/crds/elasticache.aws.upbound.io/v1beta2/ReplicationGroup.js';
import { SubnetGroup as LegacyCacheSubnetGroup } from '../../models/crds/elasticache.aws.upbound.io/v1beta1/SubnetGroup.js';
import { ReplicationGroup } from '../../models/crds/elasticache.aws.m.upbound.io/v1beta1/ReplicationGroup.js';
import { SubnetGroup as CacheSubnetGroup } from '../../models/crds/elasticache.aws.m.upbound.io/v1beta1/SubnetGroup.js';
import type { KindModels } from './managed.js';

/**
 * provider-upjet-aws kinds in both groups. In the legacy group the storage versions of Route,
 * Cluster and NodeGroup are v1beta2, and of the rds Instance v1beta3, at the pinned release (v2.6.0); the `.m.` group is v1beta1.
 */
export const AWS = {
  vpc: { namespaced: VPC, legacy: LegacyVPC },
  subnet: { namespaced: Subnet, legacy: LegacySubnet },
  internetGateway: { namespaced: InternetGateway, legacy: LegacyInternetGateway },
  routeTable: { namespaced: RouteTable, legacy: LegacyRouteTable },
  route: { namespaced: Route, legacy: LegacyRoute },
  routeTableAssociation: { namespaced: RouteTableAssociation, legacy: LegacyRouteTableAssociation },
  role: { namespaced: Role, legacy: LegacyRole },
  rolePolicyAttachment: { namespaced: RolePolicyAttachment, legacy: LegacyRolePolicyAttachment },
  cluster: { namespaced: Cluster, legacy: LegacyCluster },
  nodeGroup: { namespaced: NodeGroup, legacy: LegacyNodeGroup },
  clusterAuth: { namespaced: ClusterAuth, legacy: LegacyClusterAuth },
  accessEntry: { namespaced: AccessEntry, legacy: LegacyAccessEntry },
  accessPolicyAssociation: { namespaced: AccessPolicyAssociation, legacy: LegacyAccessPolicyAssociation },
  securityGroup: { namespaced: SecurityGroup, legacy: LegacySecurityGroup },
  securityGroupIngressRule: { namespaced: SecurityGroupIngressRule, legacy: LegacySecurityGroupIngressRule },
  dbSubnetGroup: { namespaced: DbSubnetGroup, legacy: LegacyDbSubnetGroup },
  dbInstance: { namespaced: DbInstance, legacy: LegacyDbInstance },
  cacheSubnetGroup: { namespaced: CacheSubnetGroup, legacy: LegacyCacheSubnetGroup },
  replicationGroup: { namespaced: ReplicationGroup, legacy: LegacyReplicationGroup },
} satisfies Record<string, KindModels<never, never>>;

/** An IAM trust policy letting an AWS service assume the role. */
export function assumeRolePolicy(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });
}
