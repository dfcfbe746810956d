import type { Plan } from '../shared/plan.js';
import { usage } from '../shared/resources/usage.js';
import type { DevEnvironmentContext } from './context.js';
import { environmentLabels, RESOURCE } from './naming.js';

/** `by` uses `of`: `of` may be deleted only once `by` is gone. */
export interface Dependency {
  of: string;
  by: string;
}

/**
 * Orders deletion with Usages (replayDeletion): tools and registrations go before their cluster,
 * node pools before clusters, clusters before their network. A Usage is composed once both its
 * resources are, so it exists well before anything is deleted.
 */
export function composeTeardown(ctx: DevEnvironmentContext, plan: Plan, dependencies: Dependency[]): void {
  const labels = environmentLabels(ctx);
  for (const { of, by } of dependencies) {
    const ofBody = plan.get(of)?.body;
    const byBody = plan.get(by)?.body;
    if (ofBody === undefined || byBody === undefined) continue;
    plan.add({
      name: RESOURCE.usage(of, by),
      body: usage(ctx.env.identity.flavor, {
        of: { apiVersion: String(ofBody.apiVersion), kind: String(ofBody.kind), component: of },
        by: { apiVersion: String(byBody.apiVersion), kind: String(byBody.kind), component: by },
        labels,
      }),
    });
  }
}

/** Every `by` uses `of`. */
export function allUse(of: string, by: readonly string[]): Dependency[] {
  return by.map((b) => ({ of, by: b }));
}
