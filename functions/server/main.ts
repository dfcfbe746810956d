#!/usr/bin/env node
import { runFunction } from './handler.js';
import { stdoutLog } from './log.js';
import { parseServeOptions, USAGE, UsageError } from './options.js';
import { shutdown, startServer } from './serve.js';

const log = stdoutLog;

async function main(): Promise<void> {
  let options;
  try {
    options = parseServeOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`function-devplatform: ${error.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (options === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { fixedTime } = options;
  const clock = fixedTime !== undefined ? { now: () => fixedTime } : {};
  const served = await startServer((req) => runFunction(req, clock), options);
  log('INFO', 'serving', {
    address: options.address,
    port: served.port,
    mtls: !options.insecure,
    maxRecvMessageSize: options.maxRecvMessageSize,
    metrics:
      served.metricsPort === undefined ? 'off' : `${options.metricsAddress} (port ${served.metricsPort})`,
    debug: options.debug,
    ...(fixedTime !== undefined ? { fixedTime: fixedTime.toISOString() } : {}),
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('INFO', `received ${signal}, finishing in-flight requests`, {
      graceSeconds: options.shutdownGraceSeconds,
    });
    void shutdown(served, options.shutdownGraceSeconds).then((clean) => {
      log('INFO', clean ? 'stopped' : 'stopped after the grace period, cutting requests still running');
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  log('ERROR', 'cannot serve', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
