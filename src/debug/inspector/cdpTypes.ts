// The subset of the Chrome DevTools Protocol (Debugger/Runtime domains) the wasm debugger uses, typed.

export interface CdpLocation {
  scriptId: string;
  lineNumber: number;
  columnNumber?: number;
}

export interface CdpRemoteObject {
  type: string;
  subtype?: string;
  className?: string;
  value?: unknown;
  unserializableValue?: string;
  description?: string;
  objectId?: string;
}

export interface CdpScope {
  type: string;
  object: CdpRemoteObject;
  name?: string;
}

export interface CdpCallFrame {
  callFrameId: string;
  functionName: string;
  location: CdpLocation;
  url: string;
  scopeChain: CdpScope[];
}

export interface CdpPausedEvent {
  callFrames: CdpCallFrame[];
  reason: string;
  data?: { scriptId?: string; [key: string]: unknown };
  hitBreakpoints?: string[];
}

export interface CdpScriptParsedEvent {
  scriptId: string;
  url: string;
  scriptLanguage?: string;
  codeOffset?: number;
  debugSymbols?: { type: string };
}

export interface CdpPropertyDescriptor {
  name: string;
  value?: CdpRemoteObject;
  isOwn?: boolean;
}

export interface CdpEvaluateResult {
  result: CdpRemoteObject;
  exceptionDetails?: { text: string; exception?: CdpRemoteObject };
}

export interface CdpLocationRange {
  scriptId: string;
  start: { lineNumber: number; columnNumber: number };
  end: { lineNumber: number; columnNumber: number };
}

/** A connection to one inspector target: requests with replies, and events by method name. */
export interface CdpConnection extends NodeJS.EventEmitter {
  send<T = Record<string, unknown>>(method: string, params?: Record<string, unknown>): Promise<T>;
}

export class CdpError extends Error {
  constructor(readonly method: string, readonly code: number, message: string) {
    super(`${method}: ${message}`);
    this.name = 'CdpError';
  }
}
