import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { JsonObject } from '../shared/objects.js';
import type { SizePolicy } from '../shared/policy/policy.js';
import { modelObject } from '../shared/resources/model-object.js';
import type { DevEnvironmentContext } from './context.js';
import { workloadLabels } from './naming.js';

/** Kubernetes manifests of the environment, created on a cluster through provider-kubernetes. */

export function namespaceManifest(ctx: DevEnvironmentContext, name: string): JsonObject {
  return modelObject(Namespace, { metadata: { name, labels: workloadLabels(ctx) } });
}

export function resourceQuotaManifest(
  ctx: DevEnvironmentContext,
  namespace: string,
  size: SizePolicy,
): JsonObject {
  return modelObject(ResourceQuota, {
    metadata: { name: 'devenvironment', namespace, labels: workloadLabels(ctx) },
    spec: { hard: size.quota },
  });
}

export function limitRangeManifest(
  ctx: DevEnvironmentContext,
  namespace: string,
  size: SizePolicy,
): JsonObject {
  const { default: limits, defaultRequest, max } = size.limitRange;
  return modelObject(LimitRange, {
    metadata: { name: 'devenvironment', namespace, labels: workloadLabels(ctx) },
    spec: {
      limits: [
        {
          type: 'Container',
          ...(limits !== undefined ? { default: limits } : {}),
          ...(defaultRequest !== undefined ? { defaultRequest } : {}),
          ...(max !== undefined ? { max } : {}),
        },
      ],
    },
  });
}

/** Denies ingress from outside the namespace; pods in the namespace still reach each other. */
export function networkPolicyManifest(ctx: DevEnvironmentContext, namespace: string): JsonObject {
  return modelObject(NetworkPolicy, {
    metadata: { name: 'devenvironment-default-deny', namespace, labels: workloadLabels(ctx) },
    spec: {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: {} }] }],
    },
  });
}

interface Subject {
  kind: 'Group' | 'User';
  name: string;
  apiGroup: 'rbac.authorization.k8s.io';
}

/** The team's group, as the identity provider names it. */
export function teamSubjects(ctx: DevEnvironmentContext): Subject[] {
  return [
    {
      kind: 'Group',
      name: `${ctx.policy.rbac.teamGroupPrefix}${ctx.env.spec.team}`,
      apiGroup: 'rbac.authorization.k8s.io',
    },
  ];
}

/** The groups and users of spec.access. */
export function accessSubjects(ctx: DevEnvironmentContext): Subject[] {
  const { groups, users } = ctx.env.spec.access;
  return [
    ...groups.map((name): Subject => ({ kind: 'Group', name, apiGroup: 'rbac.authorization.k8s.io' })),
    ...users.map((name): Subject => ({ kind: 'User', name, apiGroup: 'rbac.authorization.k8s.io' })),
  ];
}

export function roleBindingManifest(
  ctx: DevEnvironmentContext,
  namespace: string,
  name: string,
  subjects: Subject[],
): JsonObject {
  return modelObject(RoleBinding, {
    metadata: { name, namespace, labels: workloadLabels(ctx) },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: ctx.policy.rbac.adminClusterRole,
    },
    subjects,
  });
}

export function clusterRoleBindingManifest(
  ctx: DevEnvironmentContext,
  name: string,
  clusterRole: string,
  subjects: Subject[],
): JsonObject {
  return modelObject(ClusterRoleBinding, {
    metadata: { name, labels: workloadLabels(ctx) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole },
    subjects,
  });
}
