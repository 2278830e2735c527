// The DAP rules every client relies on, below the WASI session: each request gets exactly one answer, unsupported ones a clear error.
//
// @vscode/debugadapter's DebugSession answers every request it has a hook for with an empty success — an `attach`,
// a `restart` or `setFunctionBreakpoints` would "work" and do nothing — and drops the promise of an async handler,
// so a handler that throws after its first `await` leaves the client waiting forever (and Node ends the adapter on
// the unhandled rejection). This class dispatches requests itself so that:
// - every handler's failure, synchronous or not, becomes an error response naming the request;
// - the requests this adapter does not implement fail with a message that says what to do instead;
// - `initialize` follows the spec's defaults (no `pathFormat` means native paths; "uri" is understood) and is
//   accepted once.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DebugSession } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';

/** Error ids of the responses this layer sends (the session's own ids are 3001–3008). */
export const enum ProtocolErrorId {
  Unsupported = 3006,
  Internal = 3009,
  Protocol = 3010,
}

/** The answer to a request this adapter does not implement: what the client (or the user) should do instead. */
export const UNSUPPORTED_REQUESTS: Readonly<Record<string, string>> = {
  attach:
    'attaching is not supported: the module runs inside the adapter — use "request": "launch" with "program" set to your .wasm',
  restart: 'restart within a session is not supported (supportsRestartRequest is false) — disconnect and launch again',
  setFunctionBreakpoints:
    'function breakpoints are not supported — set a line breakpoint in the function\'s source, or an instruction breakpoint at its offset (setInstructionBreakpoints)',
  stepBack: 'stepping backwards is not supported',
  reverseContinue: 'reverse execution is not supported',
  restartFrame: 'restarting a frame is not supported',
  goto: 'jumping to another line (goto) is not supported',
  gotoTargets: 'jumping to another line (goto) is not supported',
  stepInTargets: 'choosing a step-in target is not supported — step in goes to the next call',
  setVariable: 'changing a variable is not supported: values are read-only in this adapter',
  setExpression: 'assigning to an expression is not supported: values are read-only in this adapter',
  completions: 'completions are not supported',
  loadedSources: 'listing loaded sources is not supported — sources are the files named by stack frames and breakpoints',
  dataBreakpointInfo: 'data breakpoints (watchpoints) are not supported',
  setDataBreakpoints: 'data breakpoints (watchpoints) are not supported',
  writeMemory: 'writing memory is not supported: linear memory is read-only in this adapter (readMemory works)',
  breakpointLocations: 'listing breakpoint locations is not supported — set the breakpoint: it moves to the next line with code',
  cancel: 'cancelling a request is not supported; every request is answered',
  terminateThreads: 'the module has one thread — use terminate to end it',
  modules: 'the modules view is not supported',
  source: 'this adapter has no sources by reference: every source is a file on disk, named by its path',
};

type Handler = (response: DebugProtocol.Response, args: unknown, request: DebugProtocol.Request) => unknown;

/** The hook DebugSession defines for each standard request (threads takes no arguments). */
const HANDLER_OF: Readonly<Record<string, string>> = {
  launch: 'launchRequest',
  attach: 'attachRequest',
  disconnect: 'disconnectRequest',
  terminate: 'terminateRequest',
  restart: 'restartRequest',
  setBreakpoints: 'setBreakPointsRequest',
  setFunctionBreakpoints: 'setFunctionBreakPointsRequest',
  setExceptionBreakpoints: 'setExceptionBreakPointsRequest',
  configurationDone: 'configurationDoneRequest',
  continue: 'continueRequest',
  next: 'nextRequest',
  stepIn: 'stepInRequest',
  stepOut: 'stepOutRequest',
  stepBack: 'stepBackRequest',
  reverseContinue: 'reverseContinueRequest',
  restartFrame: 'restartFrameRequest',
  goto: 'gotoRequest',
  pause: 'pauseRequest',
  threads: 'threadsRequest',
  stackTrace: 'stackTraceRequest',
  scopes: 'scopesRequest',
  variables: 'variablesRequest',
  setVariable: 'setVariableRequest',
  setExpression: 'setExpressionRequest',
  source: 'sourceRequest',
  terminateThreads: 'terminateThreadsRequest',
  evaluate: 'evaluateRequest',
  stepInTargets: 'stepInTargetsRequest',
  gotoTargets: 'gotoTargetsRequest',
  completions: 'completionsRequest',
  exceptionInfo: 'exceptionInfoRequest',
  loadedSources: 'loadedSourcesRequest',
  dataBreakpointInfo: 'dataBreakpointInfoRequest',
  setDataBreakpoints: 'setDataBreakpointsRequest',
  readMemory: 'readMemoryRequest',
  writeMemory: 'writeMemoryRequest',
  disassemble: 'disassembleRequest',
  cancel: 'cancelRequest',
  breakpointLocations: 'breakpointLocationsRequest',
  setInstructionBreakpoints: 'setInstructionBreakpointsRequest',
};

export abstract class ProtocolSession extends DebugSession {
  /** Requests not answered yet: a failing handler answers them with an error, never twice. */
  private readonly unanswered = new Set<number>();
  private initializeSeen = false;
  /** The client sends and expects `file:` URIs instead of paths (initialize's pathFormat "uri"). */
  private clientPathsAreUris = false;

  protected override dispatchRequest(request: DebugProtocol.Request): void {
    const response: DebugProtocol.Response = { seq: 0, type: 'response', request_seq: request.seq, command: request.command, success: true };
    this.unanswered.add(request.seq);
    try {
      if (request.command === 'initialize') {
        this.dispatchInitialize(request, response);
        return;
      }
      const name = HANDLER_OF[request.command];
      const handler = name === undefined ? undefined : (this as unknown as Record<string, Handler | undefined>)[name];
      const result =
        handler === undefined
          ? this.customRequest(request.command, response, request.arguments)
          : request.command === 'threads'
            ? handler.call(this, response, request, request)
            : handler.call(this, response, request.arguments ?? {}, request);
      if (result instanceof Promise) result.catch((error: unknown) => this.failUnanswered(response, error));
    } catch (error) {
      this.failUnanswered(response, error);
    }
  }

  override sendResponse(response: DebugProtocol.Response): void {
    if (!this.unanswered.delete(response.request_seq)) return; // answered already: a client must never get two answers
    super.sendResponse(response);
  }

  /** An error response whose message is exactly `message` (never read as a format string). */
  protected sendError(response: DebugProtocol.Response, id: number, message: string, showUser = false): void {
    this.sendErrorResponse(response, { id, format: '{_message}', variables: { _message: message }, showUser });
  }

  /** A source path as the session uses it (native), from what the client sent. */
  protected pathFromClient(clientPath: string): string {
    if (!this.clientPathsAreUris || !clientPath.startsWith('file:')) return clientPath;
    try {
      return fileURLToPath(clientPath);
    } catch {
      return clientPath;
    }
  }

  /** A native path as the client expects it. */
  protected pathToClient(nativePath: string): string {
    return this.clientPathsAreUris ? pathToFileURL(nativePath).toString() : nativePath;
  }

  private dispatchInitialize(request: DebugProtocol.Request, response: DebugProtocol.Response): void {
    if (this.initializeSeen) {
      this.sendError(response, ProtocolErrorId.Protocol, 'wasi: initialize may be sent only once per session', false);
      return;
    }
    this.initializeSeen = true;
    const args = { ...((request.arguments ?? {}) as DebugProtocol.InitializeRequestArguments) };
    const format = args.pathFormat ?? 'path';
    if (format !== 'path' && format !== 'uri') {
      this.sendError(response, ProtocolErrorId.Protocol, `wasi: unknown pathFormat "${format}" — use "path" (native paths) or "uri"`, true);
      return;
    }
    this.clientPathsAreUris = format === 'uri';
    // DebugSession accepts only native paths; URIs are converted here, at the edges of each request.
    super.dispatchRequest({ ...request, arguments: { ...args, pathFormat: 'path' } });
  }

  private failUnanswered(response: DebugProtocol.Response, error: unknown): void {
    if (!this.unanswered.has(response.request_seq)) return;
    const text = error instanceof Error ? error.message : String(error);
    this.sendError(response, ProtocolErrorId.Internal, `wasi: internal error while handling "${response.command}": ${text}`, false);
  }

  // ---- requests this adapter does not implement: a clear error each ----

  protected override attachRequest(response: DebugProtocol.AttachResponse): void {
    this.sendError(response, ProtocolErrorId.Unsupported, `wasi: ${UNSUPPORTED_REQUESTS['attach']}`, true);
  }
  protected override restartRequest(response: DebugProtocol.RestartResponse): void {
    this.unsupported(response);
  }
  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse): void {
    this.unsupported(response);
  }
  protected override stepBackRequest(response: DebugProtocol.StepBackResponse): void {
    this.unsupported(response);
  }
  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.unsupported(response);
  }
  protected override restartFrameRequest(response: DebugProtocol.RestartFrameResponse): void {
    this.unsupported(response);
  }
  protected override gotoRequest(response: DebugProtocol.GotoResponse): void {
    this.unsupported(response);
  }
  protected override gotoTargetsRequest(response: DebugProtocol.GotoTargetsResponse): void {
    this.unsupported(response);
  }
  protected override stepInTargetsRequest(response: DebugProtocol.StepInTargetsResponse): void {
    this.unsupported(response);
  }
  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse): void {
    this.unsupported(response);
  }
  protected override setExpressionRequest(response: DebugProtocol.SetExpressionResponse): void {
    this.unsupported(response);
  }
  protected override completionsRequest(response: DebugProtocol.CompletionsResponse): void {
    this.unsupported(response);
  }
  protected override loadedSourcesRequest(response: DebugProtocol.LoadedSourcesResponse): void {
    this.unsupported(response);
  }
  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse): void {
    this.unsupported(response);
  }
  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse): void {
    this.unsupported(response);
  }
  protected override writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse): void {
    this.unsupported(response);
  }
  protected override breakpointLocationsRequest(response: DebugProtocol.BreakpointLocationsResponse): void {
    this.unsupported(response);
  }
  protected override cancelRequest(response: DebugProtocol.CancelResponse): void {
    this.unsupported(response);
  }
  protected override terminateThreadsRequest(response: DebugProtocol.TerminateThreadsResponse): void {
    this.unsupported(response);
  }
  protected override sourceRequest(response: DebugProtocol.SourceResponse): void {
    this.unsupported(response);
  }
  protected override customRequest(command: string, response: DebugProtocol.Response, _args: unknown): void {
    if (UNSUPPORTED_REQUESTS[command] !== undefined) this.unsupported(response);
    else this.sendError(response, ProtocolErrorId.Unsupported, `wasi: unknown request "${command}" — this adapter does not implement it`);
  }

  private unsupported(response: DebugProtocol.Response): void {
    this.sendError(response, ProtocolErrorId.Unsupported, `wasi: ${UNSUPPORTED_REQUESTS[response.command] ?? `the "${response.command}" request is not supported`}`);
  }
}
