import type { RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import type { JsonObject } from '../../functions/shared/objects.js';
import { runFunction } from '../../functions/server/handler.js';
import { asObservedReady, desiredOf, requestFor } from './request.js';

import { RENDER_TIME } from '../../scripts/render-time.mjs';

/** The time tests compose at: the time make render renders the examples at. */
export const FIXED_NOW = new Date(RENDER_TIME);

export interface Round {
  /** What was observed when the function was called. */
  observed: JsonObject[];
  response: RunFunctionResponse;
}

/**
 * Plays Crossplane and the providers: calls the function, makes every desired resource exist and
 * be ready, and calls again, until no new resource appears. Returns each round.
 */
export function simulate(
  xr: JsonObject,
  input?: JsonObject,
  maxRounds = 10,
  required?: Record<string, JsonObject[]>,
): Round[] {
  const rounds: Round[] = [];
  let observed: JsonObject[] = [];
  for (let i = 0; i < maxRounds; i++) {
    const request = requestFor(xr, {
      observed,
      ...(input ? { input } : {}),
      ...(required ? { required } : {}),
    });
    const response = runFunction(request, {
      now: () => FIXED_NOW,
    });
    rounds.push({ observed, response });
    const desired = desiredOf(response);
    if (Object.keys(desired).length === observed.length) return rounds;
    observed = Object.entries(desired).map(([name, body]) => asObservedReady(xr, name, body));
  }
  throw new Error(`no steady state after ${maxRounds} rounds`);
}
