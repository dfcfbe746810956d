import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A generated file the repository keeps (examples' observed states, required resources, the XRs
 * that the preview chart and the Backstage templates yield): written under UPDATE_EXAMPLES=1;
 * otherwise the test checks the file holds exactly `text`.
 */
export function upToDate(path: string, text: string): void {
  if (process.env.UPDATE_EXAMPLES === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  expect(existsSync(path)).toBe(true);
  expect(readFileSync(path, 'utf8')).toBe(text);
}

/**
 * YAML options for writing composed objects: every object written out in full. Composed objects may
 * share parts (resources/model-object.ts copies nothing), which yaml would otherwise write once as an
 * anchor and then as aliases; Crossplane receives them as protobuf, where nothing is shared.
 */
export const UNSHARED = { aliasDuplicateObjects: false } as const;
