#!/usr/bin/env node
// make crds: fetches exactly the upstream schemas the function's output is validated against (the
// files listed in schemas/crds.lock.json) into the cache, each checked against its committed
// checksum, for machines without a CRD folder (CRDS_DIR unset and no ../shared/crds). Prints the
// folder, laid out as CRDS_DIR expects: one folder per source, one file per CRD.
//
//   - Provider CRDs come from the provider packages at their pinned versions (the OCI image's
//     package.yaml, pulled with the pinned crane). `crossplane xpkg build` re-encodes every object
//     it packages, so their checksum is of a canonical form: the object as JSON with sorted keys,
//     without status, creationTimestamp, nulls and empty strings (canonicalSha256 below).
//   - Every other file comes from its pinned release file, checked byte for byte (sha256).
//
//   node scripts/crds.mjs [--out DIR]     default $DEVPLATFORM_CACHE/crds/<hash of the lock>
//   CRDS_MIRROR=http://127.0.0.1:PORT     fetch everything from one mirror instead: packages from its
//                                         OCI registry (xpkg.crossplane.io/X -> 127.0.0.1:PORT/X),
//                                         files from https://host/path -> http://127.0.0.1:PORT/host/path
//
// A checksum that does not match stops the run before anything is written to the folder: a source
// that changed under a pinned version is a supply-chain problem to look at, not to paper over.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { goTool } from './tools.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const LOCK = join(root, 'schemas', 'crds.lock.json');

/**
 * The object without what a package build adds or drops: a typed round trip writes required strings
 * as "" and unset fields as null, and adds status and creationTimestamp.
 */
function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const key of Object.keys(value).sort()) {
    if (value[key] === null || value[key] === undefined || value[key] === '') continue;
    out[key] = canonical(value[key]);
  }
  return out;
}

/** The sha256 of a CRD's canonical JSON form, from its YAML text. */
export function canonicalSha256(yamlText) {
  const docs = parseAllDocuments(yamlText)
    .map((d) => d.toJS())
    .filter((d) => d);
  if (docs.length !== 1) throw new Error(`expected one YAML document, found ${docs.length}`);
  const { status: _status, ...crd } = docs[0];
  const { creationTimestamp: _created, ...metadata } = crd.metadata ?? {};
  return sha256(JSON.stringify(canonical({ ...crd, metadata })));
}

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/** Where a source is fetched from, with CRDS_MIRROR applied. */
export function sourceOf(entry, mirror = process.env.CRDS_MIRROR) {
  if (entry.package !== undefined) {
    if (!mirror) return { package: entry.package, insecure: false };
    const host = new URL(mirror).host;
    return { package: entry.package.replace(/^[^/]+\//, `${host}/`), insecure: true };
  }
  if (!mirror) return { url: entry.url };
  const url = new URL(entry.url);
  return { url: `${mirror.replace(/\/$/, '')}/${url.host}${url.pathname}` };
}

/** The package.yaml stream of a package image, by crane (the image's flattened filesystem). */
function packageStream({ package: ref, insecure }) {
  const tar = execFileSync(goTool('crane'), ['export', ...(insecure ? ['--insecure'] : []), ref, '-'], {
    maxBuffer: 512 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return execFileSync('tar', ['-xO', 'package.yaml'], { input: tar, maxBuffer: 512 * 1024 * 1024 }).toString(
    'utf8',
  );
}

/** The CRDs of a package stream by name, each as its own YAML text. */
function crdsOfStream(stream) {
  const out = new Map();
  for (const doc of parseAllDocuments(stream)) {
    const object = doc.toJS();
    if (object?.kind === 'CustomResourceDefinition') out.set(object.metadata.name, doc.toString());
  }
  return out;
}

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${response.statusText}`);
  return Buffer.from(await response.arrayBuffer());
}

/**
 * Fetches every file of the lock into `out` (through a temporary folder beside it, renamed at the
 * end, so `out` is whole or absent). Throws naming the file and both checksums on a mismatch.
 */
export async function fetchCrds({ out, lock = LOCK, mirror = process.env.CRDS_MIRROR, log = () => {} }) {
  const { files } = JSON.parse(readFileSync(lock, 'utf8'));
  const work = `${out}.partial-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  const streams = new Map();
  try {
    for (const entry of files) {
      const source = sourceOf(entry, mirror);
      let data;
      let got;
      let want;
      if (source.package !== undefined) {
        if (!streams.has(source.package)) {
          log(`pulling ${source.package}`);
          streams.set(source.package, crdsOfStream(packageStream(source)));
        }
        const name = entry.file
          .split('/')
          .pop()
          .replace(/\.yaml$/, '');
        data = streams.get(source.package).get(name);
        if (data === undefined) throw new Error(`${entry.file}: ${source.package} has no CRD ${name}`);
        [got, want] = [canonicalSha256(data), entry.canonicalSha256];
      } else {
        data = await fetchText(source.url);
        [got, want] = [sha256(data), entry.sha256];
      }
      if (got !== want)
        throw new Error(
          `${entry.file}: checksum mismatch for ${source.package ?? source.url}: expected ${want} ` +
            `(schemas/crds.lock.json), got ${got}. The source changed under its pinned version; nothing was written.`,
        );
      const target = join(work, entry.file);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, data);
    }
    rmSync(out, { recursive: true, force: true });
    mkdirSync(dirname(out), { recursive: true });
    renameSync(work, out);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { out, files: files.length };
}

/** The default folder: in the cache, keyed by the lock's content, so a new lock fetches anew. */
export function defaultOut(lock = LOCK) {
  const cache =
    process.env.DEVPLATFORM_CACHE ||
    join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'function-devplatform');
  return join(cache, 'crds', sha256(readFileSync(lock)).slice(0, 12));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--out');
  const out = resolve(i > 0 ? process.argv[i + 1] : defaultOut());
  if (i < 0 && existsSync(join(out, '.complete'))) {
    console.log(out);
  } else {
    try {
      const { files } = await fetchCrds({ out, log: (m) => console.error(`make crds: ${m}`) });
      writeFileSync(join(out, '.complete'), `${files} files\n`);
      console.error(`make crds: ${files} schemas checked and written`);
      console.log(out);
    } catch (err) {
      console.error(`make crds: ${err.message}`);
      process.exitCode = 1;
    }
  }
}
