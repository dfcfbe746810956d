import type { Need, ResourceGraph } from '../shared/graph/graph.js';
import { kubeGreenSpec, observedSleepInfo, sleepInfoManifest } from '../shared/kube-green.js';
import type { ObservedResources } from '../shared/observed.js';
import type { ResolvedPolicy } from '../shared/policy/policy.js';
import { kubernetesObject } from '../shared/resources/kubernetes.js';
import type { TargetEnvironment } from './environment.js';
import { RESOURCE } from './naming.js';
import type { ParsedAppStack } from './spec.js';

export interface AppSleepInput {
  app: ParsedAppStack;
  environment: TargetEnvironment;
  policy: ResolvedPolicy;
  graph: ResourceGraph;
  observed: ObservedResources;
  now: Date;
  namespace: string;
  labels: Record<string, string>;
  /** What the SleepInfo needs besides kube-green: the app's namespace to exist. */
  inNamespace: Need[];
}

/**
 * In a vcluster environment the app's namespace sleeps with the environment: a SleepInfo of its own
 * following the environment's sleep (functions/shared/kube-green.ts), through the kube-green the
 * environment runs. Namespace environments need none: the app is in the environment's namespace,
 * which the environment's SleepInfo covers; gke and eks sleep by their nodes.
 */
export function composeAppSleep(input: AppSleepInput): void {
  const { environment, graph, observed } = input;
  const existing = observedSleepInfo(observed.get(RESOURCE.sleepInfo));
  if (environment.type !== 'vcluster' || (environment.sleep === undefined && existing === undefined)) return;
  const tool = input.policy.lifecycle.kubeGreen.tool;
  const kubeGreen = environment.tools.find((t) => t.name === tool);
  if (kubeGreen === undefined || environment.kubernetesProviderConfig === undefined) return;
  const spec = kubeGreenSpec(environment.sleep ?? { asleep: false }, existing, input.now);
  if (spec === undefined) return;

  const toolResource = `environment-tool-${tool}`;
  graph.outside(toolResource, {
    what: `tool ${tool} in DevEnvironment ${environment.name}`,
    ...(kubeGreen.ready ? {} : { notReady: 'not ready yet' }),
  });
  graph.add({
    name: RESOURCE.sleepInfo,
    what: `kube-green's SleepInfo in ${input.namespace}`,
    needs: [...input.inNamespace, { on: toolResource, for: 'kube-green, which carries out the sleep' }],
    body: kubernetesObject(input.app.identity.flavor, {
      manifest: sleepInfoManifest(input.namespace, spec, input.labels),
      providerConfig: environment.kubernetesProviderConfig,
      labels: input.labels,
    }),
  });
}
