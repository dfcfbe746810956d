type KubeObject = Record<string, unknown> & { kind: string; metadata: Record<string, unknown> };
type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export const BURST: number;
export const REFILL_PER_SECOND: number;

/** Who caused a watch event of a composed resource: `<who>: <what>`. */
export function composedEventSource(
  type: WatchEventType,
  prev: KubeObject | undefined,
  next: KubeObject,
): string;

/** Who caused a watch event of the composite itself. */
export function compositeEventSource(
  type: WatchEventType,
  prev: KubeObject | undefined,
  next: KubeObject,
): string;

/** Tokens an event takes from Crossplane's bucket. */
export function tokensOf(type: WatchEventType): number;

/** When Crossplane's token bucket would first have opened over these events, or undefined. */
export function bucketOpensAt(
  events: Array<{ at: number; tokens: number }>,
  burst?: number,
  refillPerSecond?: number,
): number | undefined;

/** Events by source, most tokens first. */
export function bySource(
  events: Array<{ source: string; tokens: number }>,
): Record<string, { events: number; tokens: number }>;
