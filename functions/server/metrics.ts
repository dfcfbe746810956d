import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getHeapStatistics } from 'node:v8';
import { hostPort } from './options.js';

/**
 * Prometheus metrics in the text exposition format (version 0.0.4), served on a port of their own.
 * A handful of series, so a small registry of our own instead of a client library in the image.
 * Every label value comes from a fixed set: request content never becomes a label.
 */
type Labels = Record<string, string>;

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(labels: Labels): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

function formatNumber(n: number): string {
  if (n === Infinity) return '+Inf';
  return Number.isInteger(n) ? n.toString() : n.toPrecision(9).replace(/\.?0+$/, '');
}

interface Metric {
  readonly name: string;
  expose(): string;
}

function header(name: string, help: string, type: string): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`;
}

export class Counter implements Metric {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    private readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    const entry = this.values.get(key) ?? { labels, value: 0 };
    entry.value += by;
    this.values.set(key, entry);
  }

  expose(): string {
    let out = header(this.name, this.help, 'counter');
    for (const [key, { value }] of this.values) out += `${this.name}${key} ${formatNumber(value)}\n`;
    return out;
  }
}

export class Gauge implements Metric {
  private value = 0;
  constructor(
    readonly name: string,
    private readonly help: string,
  ) {}

  inc(): void {
    this.value += 1;
  }

  dec(): void {
    this.value -= 1;
  }

  expose(): string {
    return `${header(this.name, this.help, 'gauge')}${this.name} ${formatNumber(this.value)}\n`;
  }
}

/** A value read when scraped (process figures). */
class Sampled implements Metric {
  constructor(
    readonly name: string,
    private readonly help: string,
    private readonly type: 'gauge' | 'counter',
    private readonly read: () => number,
  ) {}

  /** Nothing when the value cannot be read (RSS needs /proc, absent in some sandboxes). */
  expose(): string {
    let value: number;
    try {
      value = this.read();
    } catch {
      return '';
    }
    return `${header(this.name, this.help, this.type)}${this.name} ${formatNumber(value)}\n`;
  }
}

export class Histogram implements Metric {
  private readonly series = new Map<
    string,
    { labels: Labels; counts: number[]; sum: number; count: number }
  >();
  constructor(
    readonly name: string,
    private readonly help: string,
    /** Upper bounds, ascending; +Inf is implied. */
    private readonly buckets: readonly number[],
  ) {}

  observe(value: number, labels: Labels = {}): void {
    const key = labelText(labels);
    const entry = this.series.get(key) ?? {
      labels,
      counts: this.buckets.map(() => 0),
      sum: 0,
      count: 0,
    };
    const index = this.buckets.findIndex((bound) => value <= bound);
    if (index >= 0) entry.counts[index] = (entry.counts[index] ?? 0) + 1;
    entry.sum += value;
    entry.count += 1;
    this.series.set(key, entry);
  }

  expose(): string {
    let out = header(this.name, this.help, 'histogram');
    for (const { labels, counts, sum, count } of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += counts[i] ?? 0;
        out += `${this.name}_bucket${labelText({ ...labels, le: formatNumber(bound) })} ${cumulative}\n`;
      });
      out += `${this.name}_bucket${labelText({ ...labels, le: '+Inf' })} ${count}\n`;
      out += `${this.name}_sum${labelText(labels)} ${formatNumber(sum)}\n`;
      out += `${this.name}_count${labelText(labels)} ${count}\n`;
    }
    return out;
  }
}

const MiB = 1024 * 1024;

/** What the function reports about itself. */
export class FunctionMetrics {
  readonly requests = new Counter(
    'function_run_function_requests_total',
    'RunFunction requests handled, by composite kind and flavor ("other" for kinds this function does not serve).',
  );
  readonly duration = new Histogram(
    'function_run_function_duration_seconds',
    'Time to handle one RunFunction request, from its bytes decoded to the response encoded.',
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  );
  readonly results = new Counter(
    'function_run_function_results_total',
    'Results returned, by severity (fatal, warning, normal).',
  );
  readonly inFlight = new Gauge(
    'function_run_function_in_flight_requests',
    'RunFunction requests being handled now.',
  );
  readonly responseBytes = new Histogram(
    'function_run_function_response_bytes',
    'Size of encoded RunFunction responses; Crossplane refuses responses over 4 MiB.',
    [64 * 1024, 256 * 1024, MiB, 2 * MiB, 3 * MiB, 4 * MiB],
  );
  readonly provisioning = new Histogram(
    'devplatform_provisioning_seconds',
    "Seconds from a composite's creation to its first Ready (status.provisioning.seconds), observed once per composite, by kind, environment type and flavor.",
    [15, 30, 60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 7200],
  );
  readonly stages = new Counter(
    'devplatform_provisioning_stages_total',
    'Provisioning stages first seen ready (status.provisioning.stages), by kind, environment type, flavor and stage.',
  );
  private readonly process: Metric[] = [
    new Sampled('process_resident_memory_bytes', 'Resident memory size in bytes.', 'gauge', () =>
      process.memoryUsage.rss(),
    ),
    new Sampled(
      'nodejs_heap_used_bytes',
      'V8 heap in use, in bytes.',
      'gauge',
      () => getHeapStatistics().used_heap_size,
    ),
    new Sampled('process_cpu_seconds_total', 'User and system CPU time spent, in seconds.', 'counter', () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1e6;
    }),
    new Sampled(
      'process_start_time_seconds',
      'Start time of the process since the Unix epoch, in seconds.',
      'gauge',
      () => Math.round(Date.now() / 1000 - process.uptime()),
    ),
  ];

  /** The whole registry in the text exposition format. */
  expose(): string {
    const served = [this.requests, this.duration, this.results, this.inFlight, this.responseBytes];
    return [...served, this.provisioning, this.stages, ...this.process].map((m) => m.expose()).join('');
  }
}

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Why metrics cannot be served on `address`, naming the flag that moves or turns them off. */
export function metricsListenError(address: string, error: NodeJS.ErrnoException): Error {
  const why =
    error.code === 'EADDRINUSE'
      ? 'the port is already in use'
      : error.code === 'EACCES'
        ? 'permission denied'
        : error.message;
  return new Error(
    `cannot serve metrics on ${address}: ${why}; choose another address with ` +
      '--metrics-address=<host:port>, or turn metrics off with --metrics-address= (empty)',
  );
}

/** Serves GET /metrics on the address; resolves once listening, to the server and its port. */
export function startMetricsServer(
  metrics: FunctionMetrics,
  address: string,
): Promise<{ server: Server; port: number }> {
  const { host, port } = hostPort('metrics-address', address);
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: metrics are at GET /metrics\n');
      return;
    }
    let body: string;
    try {
      body = metrics.expose();
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`cannot read metrics: ${String(error)}\n`);
      return;
    }
    res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => reject(metricsListenError(address, error));
    server.once('error', failed);
    server.listen(port, host === '' ? undefined : host, () => {
      server.off('error', failed);
      resolve({ server, port: (server.address() as AddressInfo).port });
    });
  });
}
