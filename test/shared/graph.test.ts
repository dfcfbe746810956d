import { ResourceGraph, type Declaration } from '../../functions/shared/graph/graph.js';
import type { JsonObject } from '../../functions/shared/objects.js';

const ready = (kind = 'Object'): JsonObject => ({
  kind,
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
});
const notReady = (message: string): JsonObject => ({
  kind: 'Object',
  status: { conditions: [{ type: 'Ready', status: 'False', message }] },
});
const r = (
  name: string,
  needs: Declaration['needs'] = [],
  extra: Partial<Declaration> = {},
): Declaration => ({
  name,
  what: name.toUpperCase(),
  body: { apiVersion: 'example.org/v1', kind: 'Object' },
  needs,
  ...extra,
});
const on = (name: string, more: Partial<{ anyDeletionOrder: string }> = {}) => ({
  on: name,
  for: `its ${name}`,
  ...more,
});

describe('ResourceGraph: creation', () => {
  it('composes a resource only once what it needs is ready, and says what it waits for', () => {
    const graph = new ResourceGraph(new Map());
    graph.add(r('a'));
    expect(graph.add(r('b', [on('a')]))).toBe(false);
    expect(graph.list().map((x) => x.name)).toEqual(['a']);
    expect(graph.waitingFor()).toEqual(['A (not created yet), needed by B for its a']);
  });

  it('composes it once what it needs is observed ready', () => {
    const graph = new ResourceGraph(new Map([['a', ready()]]));
    graph.add(r('a'));
    expect(graph.add(r('b', [on('a')]))).toBe(true);
    expect(graph.waitingFor()).toEqual([]);
  });

  it('never drops a resource that exists when what it needs stops being ready', () => {
    const graph = new ResourceGraph(
      new Map([
        ['a', notReady('pod crashed')],
        ['b', ready()],
      ]),
    );
    graph.add(r('a'));
    expect(graph.add(r('b', [on('a')]))).toBe(true);
    expect(graph.list().map((x) => x.name)).toEqual(['a', 'b']);
    expect(graph.notReady()).toEqual(['a']);
  });

  it('waits for readiness beyond Ready when the need says so', () => {
    const graph = new ResourceGraph(new Map([['a', ready()]]));
    graph.add(r('a'));
    const until = () => 'endpoint not reported yet';
    expect(graph.add(r('b', [{ on: 'a', for: 'its endpoint', until }]))).toBe(false);
    expect(graph.waitingFor()).toEqual(['A (endpoint not reported yet), needed by B for its endpoint']);
  });

  it('reports only what it composed, not consequences further down', () => {
    const graph = new ResourceGraph(new Map());
    graph.add(r('a'));
    graph.add(r('b', [on('a')]));
    graph.add(r('c', [on('b')]));
    expect(graph.waitingFor()).toEqual(['A (not created yet), needed by B for its a']);
  });

  it('names the resource that needs it to stay over one that may go in any order', () => {
    const graph = new ResourceGraph(new Map());
    graph.add(r('a'));
    graph.add(r('b', [on('a', { anyDeletionOrder: 'it goes with a' })]));
    graph.add(r('c', [on('a')]));
    expect(graph.waitingFor()).toEqual(['A (not created yet), needed by C for its a']);
  });

  it('waits for outside resources, by what they are', () => {
    const graph = new ResourceGraph(new Map());
    graph.outside('env', { what: 'DevEnvironment dev', notReady: 'tools installing' });
    expect(graph.add(r('a', [on('env')]))).toBe(false);
    expect(graph.waitingFor()).toEqual(['DevEnvironment dev (tools installing), needed by A for its env']);
  });

  it('refuses the same name twice', () => {
    const graph = new ResourceGraph(new Map());
    graph.add(r('a'));
    expect(() => graph.add(r('a'))).toThrow(/used twice/);
  });

  it('says what is not ready in the reader terms, Usages counted', () => {
    const graph = new ResourceGraph(new Map([['a', ready()]]));
    graph.add(r('a'));
    graph.add(r('b', [on('a')]));
    graph.composeDeletionOrder('namespaced', {});
    expect(graph.progressMessage()).toBe('not ready yet: B, the deletion order (1 Usage)');
  });
});

describe('ResourceGraph: deletion order', () => {
  const all = (names: string[]) => new Map(names.map((n) => [n, ready()]));
  const edges = (graph: ResourceGraph) => graph.deletionOrder().map(({ of, by }) => `${by}>${of}`);

  it.each([
    {
      case: 'a need keeps what is needed',
      declare: (g: ResourceGraph) => {
        g.add(r('network'));
        g.add(r('cluster', [on('network')]));
      },
      want: ['cluster>network'],
    },
    {
      case: 'a need in any deletion order keeps nothing',
      declare: (g: ResourceGraph) => {
        g.add(r('namespace'));
        g.add(r('quota', [on('namespace', { anyDeletionOrder: 'the namespace takes it' })]));
      },
      want: [],
    },
    {
      case: 'a need on a ProviderConfig keeps what it needs, less what those keep among themselves',
      declare: (g: ResourceGraph) => {
        g.add(r('cluster'));
        g.add(r('nodes', [on('cluster')]));
        g.add(r('pc', [on('cluster'), on('nodes')], { keptByProvider: 'providers keep it' }));
        g.add(r('tool', [on('pc')]));
      },
      want: ['nodes>cluster', 'tool>nodes'],
    },
    {
      case: 'an outside resource is kept only when it can be named in a Usage',
      declare: (g: ResourceGraph) => {
        g.outside('env', { what: 'env', party: { apiVersion: 'x/v1', kind: 'Env', name: 'dev' } });
        g.outside('tool', { what: 'tool' });
        g.add(r('db', [on('env'), on('tool')]));
      },
      want: ['db>env'],
    },
  ])('$case', ({ declare, want }) => {
    const graph = new ResourceGraph(
      all(['network', 'cluster', 'nodes', 'pc', 'tool', 'namespace', 'quota', 'db']),
    );
    declare(graph);
    expect(edges(graph)).toEqual(want);
  });

  it('keeps the Usage of a tool while its ProviderConfig is not observed', () => {
    const graph = new ResourceGraph(
      new Map([
        ['cluster', notReady('upgrading')],
        ['tool', ready()],
      ]),
    );
    graph.add(r('cluster'));
    graph.add(r('pc', [on('cluster')], { keptByProvider: 'providers keep it' }));
    graph.add(r('tool', [on('pc')]));
    expect(graph.has('pc')).toBe(false);
    expect(edges(graph)).toEqual(['tool>cluster']);
  });

  it('composes one Usage per edge, named from both ends, selecting them by component label', () => {
    const graph = new ResourceGraph(all(['network', 'cluster']));
    graph.add(r('network'));
    graph.add(r('cluster', [on('network')]));
    graph.composeDeletionOrder('namespaced', { team: 'a' });
    const usage = graph.get('usage-cluster-uses-network')?.body;
    expect(usage).toMatchObject({
      kind: 'Usage',
      spec: {
        of: {
          kind: 'Object',
          resourceSelector: {
            matchControllerRef: true,
            matchLabels: { 'devplatform.io/component': 'network' },
          },
        },
        by: { kind: 'Object', resourceSelector: { matchLabels: { 'devplatform.io/component': 'cluster' } } },
        replayDeletion: true,
      },
    });
  });

  it('says up front what the Usage controller would write: the used end by name, reason, in-use', () => {
    // Each of those writes is a watch event Crossplane's circuit breaker counts (docs/performance.md).
    const observed = new Map([
      ['network', { ...ready(), metadata: { name: 'env-x7k2p' } }],
      ['cluster', { ...ready(), metadata: { name: 'env-9sd3f' } }],
    ]);
    const graph = new ResourceGraph(observed);
    graph.add(r('network'));
    graph.add(r('cluster', [on('network')]));
    graph.composeDeletionOrder('namespaced', { team: 'a' });
    const usage = graph.get('usage-cluster-uses-network')?.body;
    expect(usage).toMatchObject({
      metadata: { annotations: { 'crossplane.io/usage-details': 'CLUSTER uses NETWORK' } },
      spec: { of: { resourceRef: { name: 'env-x7k2p' } }, reason: 'CLUSTER uses NETWORK' },
    });
    // The using end stays a selector: naming it once observed would be one more write.
    expect(usage).not.toHaveProperty('spec.by.resourceRef');
    expect(graph.get('network')?.body).toHaveProperty(['metadata', 'labels', 'crossplane.io/in-use'], 'true');
    expect(graph.get('cluster')?.body).not.toHaveProperty(['metadata', 'labels', 'crossplane.io/in-use']);
  });

  it('labels what will be kept in use from its creation, before what uses it is composed', () => {
    const graph = new ResourceGraph(new Map());
    graph.add(r('network'));
    graph.add(r('cluster', [on('network')]));
    graph.add(r('namespace-object', [on('network', { anyDeletionOrder: 'goes with it' })]));
    graph.composeDeletionOrder('namespaced', {});
    expect(graph.has('cluster')).toBe(false);
    expect(graph.get('network')?.body).toHaveProperty(['metadata', 'labels', 'crossplane.io/in-use'], 'true');
  });

  it('selects the used end while it is not observed', () => {
    const graph = new ResourceGraph(new Map([['network', ready()]]));
    graph.add(r('network'));
    graph.add(r('cluster', [on('network')]));
    graph.composeDeletionOrder('namespaced', {});
    expect(graph.get('usage-cluster-uses-network')?.body).not.toHaveProperty('spec.of.resourceRef');
  });
});
