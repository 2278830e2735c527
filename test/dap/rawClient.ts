// A bare DAP client over the standalone adapter's stdio, as other editors drive it: every message recorded in arrival order.
//
// Unlike DebugClient it never rejects an error response (scenarios assert them) and keeps responses and events in
// one ordered list, so tests can assert the order a client sees (initialize response before `initialized`, output
// before `exited` before `terminated`).
import { spawn, type ChildProcess } from 'node:child_process';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { adapterPath, fixturesDir } from './harness';

export type Message = DebugProtocol.Response | DebugProtocol.Event | DebugProtocol.Request;

export interface RawClientOptions {
  /** The adapter's current directory (what relative paths and ${workspaceFolder} mean to it). */
  cwd?: string;
  env?: Record<string, string>;
}

/** Generous bound for "answers at all" on a loaded 2-core machine: a hang fails, slowness does not. */
export const ANSWER_WITHIN_MS = 20_000;

export class RawDapClient {
  readonly messages: Message[] = [];
  private readonly child: ChildProcess;
  private buffer = Buffer.alloc(0);
  private seq = 1;
  private readonly waiters: Array<() => void> = [];
  readonly exited: Promise<number | null>;
  private closed = false;
  stderr = '';

  constructor(options: RawClientOptions = {}) {
    this.child = spawn(process.execPath, [adapterPath], {
      cwd: options.cwd ?? fixturesDir,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (data: Buffer) => this.receive(data));
    this.child.stderr!.on('data', (data: Buffer) => (this.stderr += data.toString()));
    // 'close' comes after the adapter's stdout has been read to its end: no message is lost.
    this.exited = new Promise((resolve) =>
      this.child.once('close', (code) => {
        this.closed = true;
        resolve(code);
        this.notify();
      }),
    );
  }

  /** Sends a request without waiting; returns its seq. */
  send(command: string, args?: unknown): number {
    const seq = this.seq++;
    const json = JSON.stringify({ seq, type: 'request', command, ...(args === undefined ? {} : { arguments: args }) });
    this.child.stdin!.write(`Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
    return seq;
  }

  /** Sends a request and waits for its response (success or not). */
  async request<R extends DebugProtocol.Response = DebugProtocol.Response>(command: string, args?: unknown): Promise<R> {
    return this.response<R>(this.send(command, args));
  }

  async response<R extends DebugProtocol.Response = DebugProtocol.Response>(seq: number, timeoutMs = ANSWER_WITHIN_MS): Promise<R> {
    await this.waitUntil(() => this.responseTo(seq) !== undefined, timeoutMs, () => `the response to request #${seq}`);
    return this.responseTo(seq) as R;
  }

  responseTo(seq: number): DebugProtocol.Response | undefined {
    return this.messages.find((m): m is DebugProtocol.Response => m.type === 'response' && (m as DebugProtocol.Response).request_seq === seq);
  }

  events<E extends DebugProtocol.Event = DebugProtocol.Event>(name: string): E[] {
    return this.messages.filter((m): m is E => m.type === 'event' && (m as DebugProtocol.Event).event === name);
  }

  async event<E extends DebugProtocol.Event = DebugProtocol.Event>(name: string, count = 1, timeoutMs = ANSWER_WITHIN_MS): Promise<E> {
    await this.waitUntil(() => this.events(name).length >= count, timeoutMs, () => `event ${name} #${count}`);
    return this.events<E>(name)[count - 1]!;
  }

  /** Index of a message in arrival order (for order assertions). */
  indexOf(predicate: (m: Message) => boolean): number {
    return this.messages.findIndex(predicate);
  }

  /** Text of the output events of one category, concatenated. */
  output(category: string): string {
    return this.events<DebugProtocol.OutputEvent>('output')
      .filter((e) => (e.body.category ?? 'console') === category)
      .map((e) => e.body.output)
      .join('');
  }

  async waitForOutput(category: string, needle: string, timeoutMs = ANSWER_WITHIN_MS): Promise<void> {
    await this.waitUntil(() => this.output(category).includes(needle), timeoutMs, () => `${category} output ${JSON.stringify(needle)}; got ${JSON.stringify(this.output(category))}`);
  }

  /** initialize with VS Code's usual arguments plus `overrides`; returns the response. */
  async initialize(overrides: Partial<DebugProtocol.InitializeRequestArguments> = {}): Promise<DebugProtocol.InitializeResponse> {
    return this.request<DebugProtocol.InitializeResponse>('initialize', { adapterID: 'wasi', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path', ...overrides });
  }

  /** launch, then configurationDone once `initialized` has come (the usual client sequence); returns the launch response. */
  async launch(config: Record<string, unknown>, configure: () => Promise<void> = async () => undefined): Promise<DebugProtocol.LaunchResponse> {
    const launchSeq = this.send('launch', { type: 'wasi', request: 'launch', name: 'scenario', ...config });
    await this.event('initialized');
    await configure();
    await this.request('configurationDone');
    return this.response<DebugProtocol.LaunchResponse>(launchSeq);
  }

  /** What an editor does when it goes away: closes the adapter's stdin, or signals it. */
  goAway(how: 'close stdin' | NodeJS.Signals): void {
    if (how === 'close stdin') this.child.stdin!.end();
    else this.child.kill(how);
  }

  /** Ends the adapter process (if the scenario has not) and waits for it; an adapter that ignores SIGTERM is a failure. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const gone = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ANSWER_WITHIN_MS))),
    ]).finally(() => clearTimeout(timer));
    if (gone) return;
    this.child.kill('SIGKILL');
    await this.exited;
    throw new Error(`the adapter did not exit within ${ANSWER_WITHIN_MS} ms of SIGTERM (killed); its stderr: ${this.stderr.slice(-500)}`);
  }

  async waitUntil(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what()}; adapter stderr: ${this.stderr.slice(-500)}`);
      if (this.closed) throw new Error(`the adapter exited while waiting for ${what()}; its stderr: ${this.stderr.slice(-500)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private receive(data: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, data]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) break;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) break;
      this.messages.push(JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as Message);
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
    }
    this.notify();
  }

  private notify(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

/** Runs `body` with a fresh adapter; always ends it. */
export async function withRawClient<T>(body: (client: RawDapClient) => Promise<T>, options?: RawClientOptions): Promise<T> {
  const client = new RawDapClient(options);
  let result: T;
  try {
    result = await body(client);
  } catch (error) {
    await client.close().catch(() => undefined); // the scenario's own failure is the one to report
    throw error;
  }
  await client.close();
  return result;
}
