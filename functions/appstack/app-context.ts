import { InputError } from '../shared/errors.js';
import type { ProviderConfigRef } from '../shared/flavor.js';
import type { Need, ResourceGraph } from '../shared/graph/graph.js';
import type { JsonObject } from '../shared/objects.js';
import type { ObservedResources } from '../shared/observed.js';
import type { ResolvedPolicy } from '../shared/policy/policy.js';
import { kubernetesObject, type KubernetesObjectOptions } from '../shared/resources/kubernetes.js';
import type { TargetEnvironment } from './environment.js';
import { RESOURCE } from './naming.js';
import type { ParsedAppStack } from './spec.js';

/** Whatever lives in the environment keeps the environment while it exists. */
export const IN_ENVIRONMENT: Need = { on: RESOURCE.environment, for: 'the environment it runs in' };

/** Everything a composer of the app's backing services reads, and the graph it adds to. */
export interface AppContext {
  app: ParsedAppStack;
  environment: TargetEnvironment;
  policy: ResolvedPolicy;
  graph: ResourceGraph;
  /** The observed composed resources, to keep names once resources exist. */
  observed: ObservedResources;
  /** The app's namespace in the environment. */
  namespace: string;
  /** Labels of every resource the AppStack composes. */
  labels: Record<string, string>;
}

/** An AppContext that can also create objects inside the environment. */
export interface InEnvironmentContext extends AppContext {
  /** The provider-kubernetes ProviderConfig that reaches into the environment. */
  providerConfig: ProviderConfigRef;
  /** A provider-kubernetes Object creating `manifest` inside the environment. */
  object: (
    manifest: JsonObject,
    options?: Omit<KubernetesObjectOptions, 'manifest' | 'providerConfig' | 'labels'>,
  ) => JsonObject;
}

export function inEnvironment<T extends AppContext>(
  base: T,
  providerConfig: ProviderConfigRef,
): T & InEnvironmentContext {
  return {
    ...base,
    providerConfig,
    object: (manifest, options) =>
      kubernetesObject(base.app.identity.flavor, {
        ...options,
        manifest,
        providerConfig,
        labels: base.labels,
      }),
  };
}

/**
 * The need on a tool the environment runs (declared once as an outside resource of the graph): the
 * resource waits until the tool is ready, and the tool is kept while the resource exists.
 */
export function environmentTool(
  ctx: AppContext,
  tool: { name: string; ready: boolean },
  reason: string,
): Need {
  const name = `environment-tool-${tool.name}`;
  if (!ctx.graph.hasOutside(name)) {
    ctx.graph.outside(name, {
      what: `tool ${tool.name} in DevEnvironment ${ctx.environment.name}`,
      ...(tool.ready ? {} : { notReady: 'not ready yet' }),
    });
  }
  return { on: name, for: reason };
}

/**
 * Refuses, naming `field`, an environment that lacks any of the `needed` tools (what they are
 * `for`, in the message), so the developer knows what to add to its spec.tools.
 */
export function requireTools(
  ctx: AppContext,
  field: string,
  needed: readonly string[],
  purpose: string,
): void {
  const { environment } = ctx;
  const missing = needed.filter((t) => !environment.tools.some((x) => x.name === t));
  if (missing.length > 0) {
    throw new InputError(
      field,
      `DevEnvironment ${environment.name} needs the tools ${missing.join(', ')} for ${purpose}; add them to its spec.tools`,
    );
  }
}

/** The needs on those of the environment's tools named, in the order the environment lists them. */
export function toolNeeds(ctx: AppContext, names: readonly string[], reason: string): Need[] {
  return ctx.environment.tools
    .filter((t) => names.includes(t.name))
    .map((t) => environmentTool(ctx, t, reason));
}
