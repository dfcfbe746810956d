import { provisioning, readySince, type StageDefinition } from '../../functions/shared/provisioning.js';
import type { JsonObject } from '../../functions/shared/objects.js';

/** status.provisioning from observed state (issue 22), on hand-made observations. */
const readyAt = (at: string): JsonObject => ({
  kind: 'Cluster',
  metadata: { creationTimestamp: '2026-11-20T09:00:00Z' },
  status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: at }] },
});
const notReady: JsonObject = {
  kind: 'Cluster',
  status: { conditions: [{ type: 'Ready', status: 'False' }] },
};
const OBSERVED: Record<string, JsonObject> = {
  network: readyAt('2026-11-20T09:01:00Z'),
  subnetwork: readyAt('2026-11-20T09:02:30Z'),
  cluster: readyAt('2026-11-20T09:12:00Z'),
  nodepool: notReady,
  pc: { kind: 'ProviderConfig', metadata: { creationTimestamp: '2026-11-20T09:13:00Z' } },
};
const STAGES: StageDefinition[] = [
  { name: 'Network', resources: ['network', 'subnetwork'] },
  { name: 'ControlPlane', resources: ['cluster'] },
  { name: 'Nodes', resources: ['nodepool'] },
];
const run = (over: Partial<Parameters<typeof provisioning>[0]> = {}) =>
  provisioning({
    stages: STAGES,
    observed: (name) => OBSERVED[name],
    reported: undefined,
    created: '2026-11-20T09:00:00Z',
    ready: false,
    ...over,
  });

describe('status.provisioning', () => {
  it('dates a stage by the last of its resources to become ready, and leaves out stages not ready', () => {
    expect(run()).toEqual({
      stages: [
        { name: 'Network', readyAt: '2026-11-20T09:02:30Z' },
        { name: 'ControlPlane', readyAt: '2026-11-20T09:12:00Z' },
      ],
    });
  });

  it('dates the whole by its last stage, with the seconds since creation, once the composite is ready', () => {
    const observed = (name: string) =>
      name === 'nodepool' ? readyAt('2026-11-20T09:20:00Z') : OBSERVED[name];
    expect(run({ observed, ready: true })).toEqual({
      readyAt: '2026-11-20T09:20:00Z',
      seconds: 1200,
      stages: [
        { name: 'Network', readyAt: '2026-11-20T09:02:30Z' },
        { name: 'ControlPlane', readyAt: '2026-11-20T09:12:00Z' },
        { name: 'Nodes', readyAt: '2026-11-20T09:20:00Z' },
      ],
    });
    expect(run({ observed, ready: false })).not.toHaveProperty('readyAt');
  });

  it('never rewrites what it recorded: a stage that flaps keeps its time, a provisioned composite all of it', () => {
    const reported = {
      provisioning: { stages: [{ name: 'ControlPlane', readyAt: '2026-11-20T09:11:59Z' }] },
    };
    expect(run({ reported }).stages).toEqual([
      { name: 'Network', readyAt: '2026-11-20T09:02:30Z' },
      { name: 'ControlPlane', readyAt: '2026-11-20T09:11:59Z' },
    ]);
    const done = { provisioning: { readyAt: '2026-11-20T09:30:00Z', seconds: 1800, stages: [] } };
    expect(run({ reported: done, ready: false })).toEqual({
      readyAt: '2026-11-20T09:30:00Z',
      seconds: 1800,
      stages: [],
    });
  });

  it('takes an outside stage by its time, and a kind without a Ready condition by its creation', () => {
    expect(
      run({ stages: [{ name: 'Environment', readyAt: Date.parse('2026-11-20T08:00:00Z') }] }).stages,
    ).toEqual([{ name: 'Environment', readyAt: '2026-11-20T08:00:00Z' }]);
    expect(run({ stages: [{ name: 'Environment' }] }).stages).toEqual([]);
    expect(readySince(OBSERVED.pc)).toBe(Date.parse('2026-11-20T09:13:00Z'));
    expect(readySince(notReady)).toBeUndefined();
  });
});
