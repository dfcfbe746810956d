import type { Need } from '../../shared/graph/graph.js';
import { dnsLabel } from '../../shared/names.js';
import { GCP } from '../../shared/resources/gcp.js';
import { managedResource } from '../../shared/resources/managed.js';
import { RESOURCE, stableExternalName } from '../naming.js';
import type { GkeStage } from './stage.js';

/** The nodes' Google identity: what the node pool names, and what it needs first. */
export interface NodeIdentity {
  email: string;
  needs: Need[];
}

/** A service account for the nodes, with the project roles the policy gives nodes. */
export function composeNodeIdentity(stage: GkeStage): NodeIdentity {
  const { ctx, graph, policy, project, common } = stage;
  const { flavor } = ctx.env.identity;
  const accountId = stableExternalName(
    ctx,
    RESOURCE.gkeNodeServiceAccount,
    dnsLabel(`devenv-${ctx.env.identity.key}`, 30, true),
  );
  const email = `${accountId}@${project}.iam.gserviceaccount.com`;
  graph.add({
    name: RESOURCE.gkeNodeServiceAccount,
    what: `node service account ${accountId}`,
    body: managedResource(flavor, GCP.serviceAccount, {
      ...common,
      externalName: accountId,
      forProvider: { project, displayName: `Nodes of DevEnvironment ${ctx.env.identity.key}`.slice(0, 100) },
    }),
  });
  for (const role of policy.nodeServiceAccountRoles) {
    graph.add({
      name: RESOURCE.gkeNodeRole(role),
      what: `role ${role} of ${accountId}`,
      needs: [{ on: RESOURCE.gkeNodeServiceAccount, for: 'the account the role is granted to' }],
      body: managedResource(flavor, GCP.projectIAMMember, {
        ...common,
        forProvider: { project, role, member: `serviceAccount:${email}` },
      }),
    });
  }
  return { email, needs: [{ on: RESOURCE.gkeNodeServiceAccount, for: 'the identity its nodes run as' }] };
}
