#!/usr/bin/env node
// A function that composes nothing, served by our server (functions/server: our request decoder,
// flow-control windows, metrics): beside the SDK's no-op it shows what our server itself costs, and
// beside ours what our composition logic costs.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { to } from '@crossplane-org/function-sdk-typescript';

const dist = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'dist', 'functions', 'server');
const { parseServeOptions } = await import(join(dist, 'options.js'));
const { startServer } = await import(join(dist, 'serve.js'));

await startServer((req) => to(req), parseServeOptions(process.argv.slice(2), process.env));
