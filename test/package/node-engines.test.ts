import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { REPO } from '../support/request.js';

/**
 * One supported Node.js range (issue 18, point 8): package.json's `engines.node` is the range we
 * promise, so it must be one that every locked dependency (runtime and development) supports, it
 * must hold the Node.js the runtime image ships, and the suites themselves must run on it (make runs
 * them on the runtime image's Node.js; see the Makefile).
 */
interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
}

const packageJson = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  engines: { node: string };
};
const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockedPackage>;
};
const supported = packageJson.engines.node;

function lockedNodeRanges(): { name: string; range: string }[] {
  return Object.entries(lock.packages).flatMap(([path, locked]) => {
    const engines = locked.engines;
    if (path === '' || engines === undefined || Array.isArray(engines) || engines.node === undefined) {
      return [];
    }
    return [
      { name: `${path.replace(/^.*node_modules\//, '')}@${locked.version ?? '?'}`, range: engines.node },
    ];
  });
}

function runtimeImageNode(): string {
  const line = readFileSync(join(REPO, 'image', 'runtime.lock'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('node '));
  if (line === undefined) throw new Error('image/runtime.lock has no node line');
  const version = line.split(/\s+/)[2];
  if (version === undefined) throw new Error(`image/runtime.lock's node line has no version: ${line}`);
  return version;
}

describe('the supported Node.js range', () => {
  it('is a valid semver range', () => {
    expect(semver.validRange(supported)).not.toBeNull();
  });

  it('is one that every locked dependency declares it supports', () => {
    const ranges = lockedNodeRanges();
    expect(ranges.length).toBeGreaterThan(50);
    const narrower = ranges
      .filter(({ range }) => !semver.subset(supported, range, { includePrerelease: false }))
      .map(({ name, range }) => `${name} wants ${range}`);
    expect(narrower).toEqual([]);
  });

  it('is not narrower than they need: the version just below its floor is one a dependency refuses', () => {
    const floor = semver.minVersion(supported);
    if (floor === null) throw new Error(`engines.node ${supported} has no lowest version`);
    const below =
      floor.patch > 0 ? `${floor.major}.${floor.minor}.${floor.patch - 1}` : `${floor.major - 1}.99.99`;
    const refusedBy = lockedNodeRanges().filter(({ range }) => !semver.satisfies(below, range));
    expect(refusedBy.map(({ name }) => name)).not.toEqual([]);
  });

  it('holds the Node.js the runtime image ships', () => {
    expect(semver.satisfies(runtimeImageNode(), supported)).toBe(true);
  });

  it('holds the Node.js these tests run on', () => {
    expect(semver.satisfies(process.version, supported)).toBe(true);
  });
});
