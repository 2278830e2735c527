// Test harness for the standalone adapter: a DebugClient on `node dist/debugAdapter.js` that records every event.
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const adapterPath = path.join(repoRoot, 'dist', 'debugAdapter.js');
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures', 'dap');
export const fixture = (name: string) => path.join(fixturesDir, name);

export function adapterMissingReason(): string | undefined {
  return existsSync(adapterPath) ? undefined : `${adapterPath} is missing: run \`npm run build\` first`;
}

export interface OutputRecord {
  category: string;
  output: string;
}

export interface ClientOptions {
  /** The adapter's current directory: relative launch.json paths resolve against it. */
  cwd?: string;
  /** Extra environment for the adapter process (e.g. WASI_DEBUG_TRACE_TO_CONSOLE=1). */
  env?: Record<string, string>;
}

/** A started adapter plus everything it sent. */
export class RecordingClient {
  readonly dc: DebugClient;
  readonly outputs: OutputRecord[] = [];
  readonly events: DebugProtocol.Event[] = [];
  exitCode: number | undefined;
  private readonly terminated: Promise<void>;
  private readonly waiters: Array<() => void> = [];

  constructor(options: ClientOptions = {}) {
    this.dc = new DebugClient(
      process.execPath,
      adapterPath,
      'wasi',
      { cwd: options.cwd ?? fixturesDir, env: { ...process.env, ...options.env } },
      true,
    );
    this.dc.defaultTimeout = 20_000;
    this.dc.on('output', (event: DebugProtocol.OutputEvent) => {
      this.outputs.push({ category: event.body.category ?? 'console', output: event.body.output });
      this.notify();
    });
    this.dc.on('exited', (event: DebugProtocol.ExitedEvent) => {
      this.exitCode = event.body.exitCode;
    });
    for (const name of ['stopped', 'continued', 'wasiTrace', 'initialized']) {
      this.dc.on(name, (event: DebugProtocol.Event) => {
        this.events.push(event);
        this.notify();
      });
    }
    this.terminated = new Promise((resolve) => this.dc.once('terminated', () => resolve()));
  }

  async start(): Promise<this> {
    await this.dc.start();
    return this;
  }

  /** initialize, then launch and (on `initialized`) configurationDone, as VS Code does. Rejects with the adapter's error message. */
  async launch(config: Record<string, unknown>): Promise<DebugProtocol.LaunchResponse> {
    const configured = this.dc.configurationSequence().catch(() => undefined);
    const response = await this.dc.launch({ type: 'wasi', request: 'launch', name: 'test', ...config });
    await configured;
    return response;
  }

  text(category: string): string {
    return this.outputs
      .filter((o) => o.category === category)
      .map((o) => o.output)
      .join('');
  }

  /** Resolves once `category` output contains `needle` (or rejects after `timeoutMs`). */
  async waitForOutput(category: string, needle: string | RegExp, timeoutMs = 15_000): Promise<void> {
    const matches = () => {
      const text = this.text(category);
      return typeof needle === 'string' ? text.includes(needle) : needle.test(text);
    };
    await this.waitUntil(matches, timeoutMs, () => `${category} output ${String(needle)}; got ${JSON.stringify(this.text(category).slice(-500))}`);
  }

  async waitForEvent(name: string, timeoutMs = 15_000): Promise<DebugProtocol.Event> {
    await this.waitUntil(() => this.events.some((e) => e.event === name), timeoutMs, () => `event ${name}`);
    return this.events.find((e) => e.event === name)!;
  }

  async waitForTerminated(timeoutMs = 20_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.terminated,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no terminated event within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  async stop(): Promise<void> {
    await this.dc.stop().catch(() => undefined);
  }

  private notify(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  private async waitUntil(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/** Starts a client, runs `body`, always stops the adapter. */
export async function withClient<T>(body: (client: RecordingClient) => Promise<T>, options?: ClientOptions): Promise<T> {
  const client = await new RecordingClient(options).start();
  try {
    return await body(client);
  } finally {
    await client.stop();
  }
}

/** Launches a configuration and waits for the session to end; returns the client for assertions. */
export async function runToEnd(
  config: Record<string, unknown>,
  options?: ClientOptions & { terminatedWithinMs?: number },
): Promise<RecordingClient> {
  return withClient(async (client) => {
    await client.launch(config);
    await client.waitForTerminated(options?.terminatedWithinMs);
    return client;
  }, options);
}
