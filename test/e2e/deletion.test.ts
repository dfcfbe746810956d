import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { goldenEdges, orderViolations, useDepths, type UsageEnd } from '../../scripts/e2e/deletion.mjs';
import { REPO } from '../support/request.js';

/**
 * The e2e's deletion check (scripts/e2e/deletion.mjs) on the goldens, without a control plane: the
 * edges it reads, the stand-ins' delays it derives from them, and what it calls a violation.
 */
const golden = (example: string) =>
  JSON.parse(readFileSync(join(REPO, 'test', 'golden', example, 'ready.json'), 'utf8')) as unknown;

function readyGoldens(dir = join(REPO, 'test', 'golden')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return readyGoldens(path);
    return entry.name === 'ready.json'
      ? [path.slice(join(REPO, 'test', 'golden').length + 1, -'/ready.json'.length)]
      : [];
  });
}

describe('the deletion-order edges of a golden', () => {
  it('names both ends of each Usage: composed resources by name, outside objects by kind and name', () => {
    expect(goldenEdges(golden('devenvironment/vcluster'))).toContainEqual({
      usage: 'usage-vcluster-uses-namespace',
      of: { component: 'namespace' },
      by: { component: 'vcluster' },
    });
    expect(goldenEdges(golden('appstack/gke'))).toContainEqual({
      usage: 'usage-application-uses-environment',
      of: { kind: 'DevEnvironment', name: 'ml-sandbox' },
      by: { component: 'application' },
    });
  });

  it.each(readyGoldens())('%s: every user is deleted more slowly than what it uses', (example) => {
    const edges = goldenEdges(golden(example));
    const depths = useDepths(edges);
    const inverted = edges
      .filter((e) => 'component' in e.of && 'component' in e.by)
      .filter(
        (e) =>
          (depths.get((e.by as { component: string }).component) ?? 0) <=
          (depths.get((e.of as { component: string }).component) ?? 0),
      );
    expect(inverted).toEqual([]);
  });
});

describe('an order violation', () => {
  const edges = [
    { usage: 'usage-vcluster-uses-namespace', of: { component: 'namespace' }, by: { component: 'vcluster' } },
  ];
  const at = (times: Record<string, number>) => (end: UsageEnd) =>
    'component' in end ? times[end.component] : undefined;

  it('is the used side gone before its user', () => {
    expect(orderViolations(edges, at({ namespace: 1000, vcluster: 2000 }))).toEqual([
      { ...edges[0], ofGone: 1000, byGone: 2000 },
    ]);
  });

  it('counts only what is certain: the used side gone before its user was last seen present', () => {
    // One sweep lists the namespace's kind, then the vcluster's: both first seen gone in it, the
    // namespace 20 ms before; the vcluster was last seen present in the sweep before, 2 s earlier.
    const seen = at({ vcluster: 0 });
    expect(orderViolations(edges, at({ namespace: 2000, vcluster: 2020 }), seen)).toEqual([]);
    expect(orderViolations(edges, at({ namespace: 1000, vcluster: 2020 }), at({ vcluster: 1500 }))).toEqual([
      { ...edges[0], ofGone: 1000, byGone: 2020 },
    ]);
  });

  it('is not the used side gone after, or at once with, its user, nor a side never seen gone', () => {
    expect(orderViolations(edges, at({ namespace: 3000, vcluster: 2000 }))).toEqual([]);
    expect(orderViolations(edges, at({ namespace: 2000, vcluster: 2000 }))).toEqual([]);
    expect(orderViolations(edges, at({ vcluster: 2000 }))).toEqual([]);
  });
});
