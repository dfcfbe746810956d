#!/usr/bin/env node
// Compares the golden responses (test/golden) of the work tree with those of a revision, by meaning
// rather than bytes: which composed resources were added, removed or changed, which conditions,
// results and status fields changed, and which files differ only in the order of resources. For
// refactors that must keep every response but for deliberate changes (see docs/graph.md).
//
//   node scripts/golden-diff.mjs [REV]      REV defaults to HEAD
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const rev = process.argv[2] ?? 'HEAD';
const root = new URL('..', import.meta.url).pathname;
const goldenDir = join(root, 'test', 'golden');

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.json') ? [path] : [];
  });
}

function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function describe(rsp) {
  const resources = rsp.desired?.resources ?? {};
  const conditions = Object.fromEntries((rsp.conditions ?? []).map((c) => [c.type, c.message ?? '']));
  const results = (rsp.results ?? []).map((r) => `${r.severity}: ${r.message}`);
  return {
    resources,
    order: Object.keys(resources),
    conditions,
    results,
    status: rsp.desired?.composite?.resource?.status ?? {},
  };
}

let changedFiles = 0;
for (const path of files(goldenDir)) {
  const rel = relative(root, path);
  let before;
  try {
    before = JSON.parse(
      execFileSync('git', ['show', `${rev}:${rel}`], {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    );
  } catch {
    console.log(`${rel}: new`);
    continue;
  }
  const a = describe(before);
  const b = describe(JSON.parse(readFileSync(path, 'utf8')));
  const lines = [];
  for (const name of Object.keys(b.resources)) {
    if (!(name in a.resources)) lines.push(`  + ${name}`);
    else if (canonical(a.resources[name]) !== canonical(b.resources[name])) lines.push(`  ~ ${name}`);
  }
  for (const name of Object.keys(a.resources)) if (!(name in b.resources)) lines.push(`  - ${name}`);
  for (const type of new Set([...Object.keys(a.conditions), ...Object.keys(b.conditions)])) {
    if (a.conditions[type] !== b.conditions[type]) {
      lines.push(
        `  condition ${type}:\n    was: ${a.conditions[type] ?? '(none)'}\n    now: ${b.conditions[type] ?? '(none)'}`,
      );
    }
  }
  if (canonical(a.results) !== canonical(b.results))
    lines.push(`  results: ${JSON.stringify(a.results)} -> ${JSON.stringify(b.results)}`);
  if (canonical(a.status) !== canonical(b.status))
    lines.push(`  status: ${canonical(a.status)} -> ${canonical(b.status)}`);
  const sameSet = a.order.length === b.order.length && a.order.every((n) => n in b.resources);
  if (lines.length === 0 && sameSet && a.order.join() !== b.order.join())
    lines.push('  (order of resources only)');
  if (lines.length > 0) {
    changedFiles += 1;
    console.log(`${rel}:\n${lines.join('\n')}`);
  }
}
console.log(`${changedFiles} golden response(s) differ from ${rev} by meaning or order`);
