// A test double for the parts of the `vscode` API that src/views uses, behaving as VS Code documents them;
// dialogs and notifications are answered and recorded through `testHooks`, so tests can assert what a user sees.

export class Disposable {
  private disposed = false;
  constructor(private readonly onDispose: () => void) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    if (!this.disposed) {
      this.disposed = true;
      this.onDispose();
    }
  }
}

export type Event<T> = (listener: (e: T) => unknown) => Disposable;

export class EventEmitter<T> {
  private listeners = new Set<(e: T) => unknown>();
  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(data: T): void {
    for (const l of [...this.listeners]) l(data);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

interface UriComponents {
  scheme: string;
  authority?: string;
  path?: string;
  query?: string;
  fragment?: string;
}

/** RFC 3986 URIs as vscode.Uri models them: path segments percent-encoded in toString(), decoded in `path`. */
export class Uri {
  readonly scheme: string;
  readonly authority: string;
  readonly path: string;
  readonly query: string;
  readonly fragment: string;
  private constructor(c: UriComponents) {
    this.scheme = c.scheme;
    this.authority = c.authority ?? '';
    this.path = c.path ?? '';
    this.query = c.query ?? '';
    this.fragment = c.fragment ?? '';
    if (!/^[a-zA-Z][\w+.-]*$/.test(this.scheme)) throw new Error(`[UriError]: Scheme contains illegal characters: "${this.scheme}"`);
    if (this.authority && this.path && !this.path.startsWith('/')) throw new Error('[UriError]: If a URI contains an authority component, then the path component must either be empty or begin with a slash ("/") character');
  }
  static from(c: UriComponents): Uri {
    return new Uri(c);
  }
  static file(path: string): Uri {
    return new Uri({ scheme: 'file', path });
  }
  static parse(value: string): Uri {
    const m = /^([a-zA-Z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(value);
    if (!m) throw new Error(`[UriError]: cannot parse "${value}"`);
    return new Uri({ scheme: m[1], authority: decodeURIComponent(m[2] ?? ''), path: decodeURIComponent(m[3] ?? ''), query: m[4] ?? '', fragment: m[5] ?? '' });
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    const joined = [base.path.replace(/\/+$/, ''), ...segments].join('/');
    return base.with({ path: joined.startsWith('/') ? joined : `/${joined}` });
  }
  get fsPath(): string {
    return this.path;
  }
  with(change: Partial<UriComponents>): Uri {
    return new Uri({ scheme: this.scheme, authority: this.authority, path: this.path, query: this.query, fragment: this.fragment, ...change });
  }
  toString(): string {
    const path = this.path.split('/').map(encodeURIComponent).join('/');
    return `${this.scheme}:${this.authority || this.scheme === 'file' ? `//${encodeURIComponent(this.authority)}` : ''}${path}${this.query ? `?${this.query}` : ''}${this.fragment ? `#${this.fragment}` : ''}`;
  }
  toJSON(): UriComponents {
    return { scheme: this.scheme, authority: this.authority, path: this.path, query: this.query, fragment: this.fragment };
  }
}

export enum FileType {
  Unknown = 0,
  File = 1,
  Directory = 2,
  SymbolicLink = 64,
}

export enum FilePermission {
  Readonly = 1,
}

export enum FileChangeType {
  Changed = 1,
  Created = 2,
  Deleted = 3,
}

export interface FileChangeEvent {
  readonly type: FileChangeType;
  readonly uri: Uri;
}

export interface FileStat {
  type: FileType;
  ctime: number;
  mtime: number;
  size: number;
  permissions?: FilePermission;
}

/** Like VS Code's: `code` names the factory, the message keeps what was passed (a Uri prints as its string). */
export class FileSystemError extends Error {
  constructor(messageOrUri: string | Uri | undefined, readonly code: string) {
    super(messageOrUri instanceof Uri ? messageOrUri.toString() : (messageOrUri ?? code));
    this.name = `${code} (FileSystemError)`;
  }
  static FileNotFound(m?: string | Uri): FileSystemError {
    return new FileSystemError(m, 'FileNotFound');
  }
  static FileExists(m?: string | Uri): FileSystemError {
    return new FileSystemError(m, 'FileExists');
  }
  static FileNotADirectory(m?: string | Uri): FileSystemError {
    return new FileSystemError(m, 'FileNotADirectory');
  }
  static FileIsADirectory(m?: string | Uri): FileSystemError {
    return new FileSystemError(m, 'FileIsADirectory');
  }
  static NoPermissions(m?: string | Uri): FileSystemError {
    return new FileSystemError(m, 'NoPermissions');
  }
  static Unavailable(m?: string | Uri): FileSystemError {
    return new FileSystemError(m, 'Unavailable');
  }
}

export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}

export class ThemeIcon {
  static readonly File = new ThemeIcon('file');
  static readonly Folder = new ThemeIcon('folder');
  constructor(readonly id: string) {}
}

export interface Command {
  command: string;
  title: string;
  arguments?: unknown[];
}

export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: string;
  contextValue?: string;
  resourceUri?: Uri;
  iconPath?: ThemeIcon;
  command?: Command;
  accessibilityInformation?: { label: string; role?: string };
  constructor(public label: string, public collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None) {}
}

export class DataTransferItem {
  constructor(readonly value: unknown) {}
  async asString(): Promise<string> {
    return typeof this.value === 'string' ? this.value : JSON.stringify(this.value);
  }
}

export class DataTransfer {
  private readonly items = new Map<string, DataTransferItem>();
  get(mimeType: string): DataTransferItem | undefined {
    return this.items.get(mimeType.toLowerCase());
  }
  set(mimeType: string, value: DataTransferItem): void {
    this.items.set(mimeType.toLowerCase(), value);
  }
}

type Thenable<T> = PromiseLike<T>;

export interface CancellationToken {
  isCancellationRequested: boolean;
}

export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}

/** What the fake user answers and what the extension showed; tests set and read it. */
export const testHooks = {
  messages: [] as Array<{ level: 'info' | 'warning' | 'error'; text: string }>,
  /** Answer to the next modal/non-modal question (the button label), or undefined for "dismissed". */
  answers: [] as Array<string | undefined>,
  inputs: [] as Array<string | undefined>,
  saveDialogs: [] as Array<Uri | undefined>,
  openDialogs: [] as Array<Uri[] | undefined>,
  clipboard: '',
  executed: [] as Array<{ command: string; args: unknown[] }>,
  contexts: new Map<string, unknown>(),
  /** Status bar messages currently shown. */
  statusBar: [] as string[],
  reset(): void {
    this.statusBar = [];
    this.messages = [];
    this.answers = [];
    this.inputs = [];
    this.saveDialogs = [];
    this.openDialogs = [];
    this.clipboard = '';
    this.executed = [];
    this.contexts.clear();
  },
};

const message = (level: 'info' | 'warning' | 'error') => async (text: string, ...rest: unknown[]): Promise<string | undefined> => {
  testHooks.messages.push({ level, text });
  const buttons = rest.filter((r): r is string => typeof r === 'string');
  const answer = testHooks.answers.shift();
  return answer !== undefined && buttons.includes(answer) ? answer : undefined;
};

export const window = {
  setStatusBarMessage(text: string, hideWhenDone: Thenable<unknown>): Disposable {
    testHooks.statusBar.push(text);
    void Promise.resolve(hideWhenDone).then(() => {
      const at = testHooks.statusBar.indexOf(text);
      if (at >= 0) testHooks.statusBar.splice(at, 1);
    });
    return new Disposable(() => undefined);
  },
  showInformationMessage: message('info'),
  showWarningMessage: message('warning'),
  showErrorMessage: message('error'),
  async showInputBox(options: { validateInput?: (v: string) => string | undefined }): Promise<string | undefined> {
    const value = testHooks.inputs.shift();
    if (value !== undefined && options.validateInput) {
      const problem = options.validateInput(value);
      if (problem) throw new Error(`test answered an input box with a value its validation rejects: ${problem}`);
    }
    return value;
  },
  async showSaveDialog(): Promise<Uri | undefined> {
    return testHooks.saveDialogs.shift();
  },
  async showOpenDialog(): Promise<Uri[] | undefined> {
    return testHooks.openDialogs.shift();
  },
  async withProgress<R>(_options: unknown, task: (progress: { report(v: unknown): void }, token: CancellationToken) => Promise<R>): Promise<R> {
    return task({ report: () => undefined }, { isCancellationRequested: false });
  },
  createTreeView<T>(_id: string, options: { treeDataProvider: unknown }): { selection: T[]; dispose(): void; options: unknown } {
    return { selection: [], dispose: () => undefined, options };
  },
};

const registered = new Map<string, (...args: unknown[]) => unknown>();

export const commands = {
  registerCommand(id: string, fn: (...args: unknown[]) => unknown): Disposable {
    if (registered.has(id)) throw new Error(`command '${id}' already exists`);
    registered.set(id, fn);
    return new Disposable(() => registered.delete(id));
  },
  async executeCommand(id: string, ...args: unknown[]): Promise<unknown> {
    const fn = registered.get(id);
    if (fn) return fn(...args);
    testHooks.executed.push({ command: id, args });
    if (id === 'setContext') testHooks.contexts.set(args[0] as string, args[1]);
    return undefined;
  },
};

export const env = {
  clipboard: {
    async writeText(text: string): Promise<void> {
      testHooks.clipboard = text;
    },
  },
};

/** workspace.fs over a plain map of path → bytes / directory, for file: URIs. */
export const hostFiles = new Map<string, Uint8Array | 'directory'>();

export const workspace = {
  workspaceFolders: undefined as Array<{ uri: Uri }> | undefined,
  getWorkspaceFolder(): undefined {
    return undefined;
  },
  registerFileSystemProvider(): Disposable {
    return new Disposable(() => undefined);
  },
  fs: {
    async stat(uri: Uri): Promise<FileStat> {
      const v = hostFiles.get(uri.path);
      if (v === undefined) throw FileSystemError.FileNotFound(uri);
      return { type: v === 'directory' ? FileType.Directory : FileType.File, ctime: 0, mtime: 0, size: v === 'directory' ? 0 : v.byteLength };
    },
    async readDirectory(uri: Uri): Promise<[string, FileType][]> {
      if (hostFiles.get(uri.path) !== 'directory') throw FileSystemError.FileNotADirectory(uri);
      const prefix = `${uri.path}/`;
      return [...hostFiles.entries()]
        .filter(([p]) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
        .map(([p, v]) => [p.slice(prefix.length), v === 'directory' ? FileType.Directory : FileType.File]);
    },
    async readFile(uri: Uri): Promise<Uint8Array> {
      const v = hostFiles.get(uri.path);
      if (v === undefined) throw FileSystemError.FileNotFound(uri);
      if (v === 'directory') throw FileSystemError.FileIsADirectory(uri);
      return v;
    },
    async writeFile(uri: Uri, data: Uint8Array): Promise<void> {
      if (hostFiles.get(uri.path) === 'directory') throw FileSystemError.FileIsADirectory(uri);
      hostFiles.set(uri.path, data);
    },
    async createDirectory(uri: Uri): Promise<void> {
      hostFiles.set(uri.path, 'directory');
    },
  },
};
