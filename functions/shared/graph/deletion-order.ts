import type { DeletionEdge, Declaration, OutsideResource } from './declaration.js';

/** What the deletion order is computed from: every declaration, and which of them are composed. */
export interface DeclaredGraph {
  declarations: ReadonlyMap<string, Declaration>;
  outside: ReadonlyMap<string, OutsideResource>;
  isComposed(name: string): boolean;
}

/**
 * The deletion order that follows from the declared needs, as edges for Usages: every composed
 * resource keeps what it needs while it exists, unless the need says any order is safe. A need on a
 * resource its provider keeps (a ProviderConfig) is a need on what that resource needs, less what
 * those already keep among themselves (so tools keep the node pool, and the node pool the cluster,
 * rather than every tool keeping both). Edges come in composition order of the resource that needs,
 * then in the order it declared its needs.
 */
export function deletionOrder(graph: DeclaredGraph): DeletionEdge[] {
  const edges: DeletionEdge[] = [];
  const seen = new Set<string>();
  const keptOnce = rememberKept(graph);
  for (const [by, declaration] of graph.declarations) {
    if (!graph.isComposed(by) || declaration.keptByProvider !== undefined) continue;
    for (const of of orderedNeeds(graph, declaration).flatMap(keptOnce)) {
      const key = `${of}\u0000${by}`;
      if (seen.has(key)) continue;
      seen.add(key);
      edges.push({ of, by });
    }
  }
  return edges;
}

function orderedNeeds(graph: DeclaredGraph, declaration: Declaration): string[] {
  return (declaration.needs ?? []).filter((n) => n.anyDeletionOrder === undefined).map((n) => n.on);
}

/**
 * kept(), worked out once per name for one deletion order: every tool needs the same ProviderConfig,
 * whose answer walks what it needs (pairwise, to drop what the others already keep).
 */
function rememberKept(graph: DeclaredGraph): (name: string) => string[] {
  const known = new Map<string, string[]>();
  const keptOnce = (name: string): string[] => {
    let answer = known.get(name);
    if (answer === undefined) {
      answer = kept(graph, name, keptOnce);
      known.set(name, answer);
    }
    return answer;
  };
  return keptOnce;
}

/** What a need on `name` keeps: itself, or for a resource its provider keeps, what that needs. */
function kept(graph: DeclaredGraph, name: string, keptOnce: (name: string) => string[]): string[] {
  const outside = graph.outside.get(name);
  if (outside !== undefined) return outside.party !== undefined ? [name] : [];
  const declaration = graph.declarations.get(name);
  if (declaration === undefined) return [];
  // Composed or not, a resource its provider keeps stands for what it needs: a tool installed
  // through a ProviderConfig keeps the nodes even while that ProviderConfig is not observed.
  if (declaration.keptByProvider === undefined) return graph.isComposed(name) ? [name] : [];
  const all = [...new Set(orderedNeeds(graph, declaration).flatMap(keptOnce))];
  return all.filter((x) => !all.some((y) => y !== x && needsTransitively(graph, y, x)));
}

/** Whether `from` needs `to`, directly or through what it needs (deletion-ordered needs only). */
function needsTransitively(graph: DeclaredGraph, from: string, to: string): boolean {
  const visited = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const current = stack.pop() ?? '';
    const declaration = graph.declarations.get(current);
    if (declaration === undefined || visited.has(current)) continue;
    visited.add(current);
    for (const on of orderedNeeds(graph, declaration)) {
      if (on === to) return true;
      stack.push(on);
    }
  }
  return false;
}
