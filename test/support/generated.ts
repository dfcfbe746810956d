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
