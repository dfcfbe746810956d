/** One end of a Usage: a composed resource by its composition-resource-name, or an outside object. */
export type UsageEnd = { component: string } | { kind: string; name: string | undefined };

export interface UsageEdge {
  usage: string;
  of: UsageEnd;
  by: UsageEnd;
}

/** The deletion-order edges a golden response declares. */
export function goldenEdges(golden: unknown): UsageEdge[];

/** How many levels of use stand below each component: 0 for one that uses nothing. */
export function useDepths(edges: UsageEdge[]): Map<string, number>;

/** Edges whose used side went before the side using it. */
export function orderViolations(
  edges: UsageEdge[],
  goneAt: (end: UsageEnd) => number | undefined,
  lastSeenAt?: (end: UsageEnd) => number | undefined,
): Array<UsageEdge & { ofGone: number; byGone: number }>;
