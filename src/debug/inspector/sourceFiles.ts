// Which file on this machine a DWARF file name is: the path as built, a path the editor set breakpoints in, or beside the module.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceLineMap } from '../dwarf/sourceLines';

export class SourceFiles {
  private readonly local = new Map<string, string | undefined>();
  /** DWARF file → the editor's path for it (learned from setBreakpoints). */
  private readonly fromEditor = new Map<string, string>();

  constructor(
    private readonly lines: SourceLineMap | undefined,
    /** The directory of the .wasm: a moved build tree often keeps its sources next to the module. */
    private readonly programDir: string | undefined,
  ) {}

  /** The DWARF file the editor's path is, remembering the editor's spelling for stack frames. */
  matchEditorPath(editorPath: string): string | undefined {
    const file = this.lines?.matchFile(editorPath);
    if (file !== undefined) {
      this.fromEditor.set(file, editorPath);
      this.local.delete(file);
    }
    return file;
  }

  /** The local path to show for a DWARF file, or undefined when it is not on this machine (e.g. libc sources). */
  localPath(file: string): string | undefined {
    if (this.local.has(file)) return this.local.get(file);
    const found = this.find(file);
    this.local.set(file, found);
    return found;
  }

  private find(file: string): string | undefined {
    const editor = this.fromEditor.get(file);
    if (editor !== undefined) return editor;
    if (path.isAbsolute(file) && isFile(file)) return path.normalize(file);
    if (this.programDir !== undefined) {
      const relative = path.join(this.programDir, file);
      if (!path.isAbsolute(file) && isFile(relative)) return relative;
      const beside = path.join(this.programDir, path.basename(file));
      if (isFile(beside) && this.lines?.matchFile(beside) === file) return beside;
    }
    return undefined;
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
