import type { JsonObject } from '../functions/shared/objects.js';

export function readyConditions(ready?: boolean, at?: string): JsonObject[];
export function providerReports(desired: JsonObject): JsonObject | undefined;
