// Steps and checks, printed as they happen and counted for the final line.
export class Report {
  constructor(out = process.stdout) {
    this.out = out;
    this.passed = 0;
    this.failed = [];
    this.started = Date.now();
  }

  elapsed() {
    return `${((Date.now() - this.started) / 1000).toFixed(1).padStart(6)} s`;
  }

  step(text) {
    this.out.write(`${this.elapsed()}  ${text}\n`);
  }

  /** Runs one check: a thrown error (or a rejected promise) fails it with the error's message. */
  async check(name, fn) {
    try {
      await fn();
      this.passed += 1;
      this.out.write(`${this.elapsed()}    ok   ${name}\n`);
      return true;
    } catch (err) {
      this.failed.push({ name, message: err instanceof Error ? err.message : String(err) });
      this.out.write(
        `${this.elapsed()}    FAIL ${name}\n             ${String(err?.message ?? err).replaceAll('\n', '\n             ')}\n`,
      );
      return false;
    }
  }

  summary() {
    return `E2E: ${this.passed} checks passed, ${this.failed.length} failed`;
  }
}

/** Throws with `message` unless `condition` holds. */
export function expect(condition, message) {
  if (!condition) throw new Error(message);
}
