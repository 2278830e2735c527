// Source lines of a wasm module from its DWARF: byte offset ↔ file:line, breakpoint placement and the ranges of one line for stepping.

import * as path from 'node:path';
import { readCompileUnits } from './compileUnits';
import { readLinePrograms } from './lineProgram';
import { functionAt, type WasmModuleLayout } from './wasmSections';

export interface SourcePosition {
  /** The file as DWARF names it, made absolute with the unit's compilation directory when that is absolute. */
  file: string;
  /** 1-based; 0 = compiler-generated code that belongs to no line. */
  line: number;
  /** 1-based; 0 = unknown. */
  column: number;
}

/** A half-open range of absolute module offsets. */
export interface OffsetRange {
  start: number;
  end: number;
}

export interface ResolvedLineBreakpoint {
  file: string;
  /** The line the breakpoint really sits on (the first line at or after the requested one that has code). */
  line: number;
  /** One absolute offset per function that has code for that line. */
  offsets: number[];
}

interface LineSpan extends SourcePosition, OffsetRange {
  isStmt: boolean;
  prologueEnd: boolean;
}

export class SourceLineMap {
  private constructor(
    private readonly layout: WasmModuleLayout,
    /** Sorted by start, non-overlapping. */
    private readonly spans: LineSpan[],
    readonly files: string[],
  ) {}

  /** Undefined when the module has no .debug_line (built without -g). */
  static fromModule(layout: WasmModuleLayout): SourceLineMap | undefined {
    const debugLine = layout.customSections.get('.debug_line');
    if (!debugLine || layout.codeSectionStart < 0) return undefined;
    const debugStr = layout.customSections.get('.debug_str');
    const debugLineStr = layout.customSections.get('.debug_line_str');
    const compDirs = new Map<number, string>();
    const debugInfo = layout.customSections.get('.debug_info');
    const debugAbbrev = layout.customSections.get('.debug_abbrev');
    if (debugInfo && debugAbbrev) {
      try {
        for (const unit of readCompileUnits({ debugInfo, debugAbbrev, debugStr, debugLineStr })) {
          if (unit.stmtList !== undefined && unit.compDir !== undefined) compDirs.set(unit.stmtList, unit.compDir);
        }
      } catch {
        // without compilation directories, relative file names stay relative (matched by suffix)
      }
    }
    const spans: LineSpan[] = [];
    const files = new Set<string>();
    for (const program of readLinePrograms({ debugLine, debugStr, debugLineStr })) {
      const compDir = compDirs.get(program.offset);
      const resolved = new Map<number, string>();
      for (const [index, name] of program.files) {
        const file = resolveFile(compDir, name);
        resolved.set(index, file);
        files.add(file);
      }
      const rows = program.rows;
      for (let i = 0; i + 1 < rows.length; i++) {
        const row = rows[i]!;
        if (row.endSequence) continue;
        const next = rows[i + 1]!;
        if (next.address <= row.address) continue;
        // Functions the linker dropped keep their rows at a tombstone address outside every function body.
        if (!functionAt(layout, row.address + layout.codeSectionStart)) continue;
        spans.push({
          start: row.address + layout.codeSectionStart,
          end: next.address + layout.codeSectionStart,
          file: resolved.get(row.file) ?? `<file ${row.file}>`,
          line: row.line,
          column: row.column,
          isStmt: row.isStmt,
          prologueEnd: row.prologueEnd,
        });
      }
    }
    spans.sort((a, b) => a.start - b.start);
    // Discarded functions keep their DWARF at low addresses overlapping real code: drop spans that overlap earlier ones.
    const clean: LineSpan[] = [];
    for (const span of spans) {
      const last = clean[clean.length - 1];
      if (last && span.start < last.end) continue;
      clean.push(span);
    }
    return new SourceLineMap(layout, clean, [...files]);
  }

  /** The source position of an absolute module offset, when DWARF covers it. */
  positionAt(offset: number): SourcePosition | undefined {
    const span = this.spanAt(offset);
    return span ? { file: span.file, line: span.line, column: span.column } : undefined;
  }

  /**
   * The ranges a source-level step must not stop in: every range of the same file and line in the function
   * containing `offset`, and its line-0 (compiler-generated) ranges. Sorted and merged.
   */
  stepRanges(offset: number): OffsetRange[] {
    const here = this.spanAt(offset);
    const fn = functionAt(this.layout, offset);
    if (!here || !fn) return [];
    const ranges: OffsetRange[] = [];
    for (const span of this.spansIn(fn.start, fn.end)) {
      if (span.line === 0 || (span.file === here.file && span.line === here.line)) {
        const last = ranges[ranges.length - 1];
        if (last && last.end === span.start) last.end = span.end;
        else ranges.push({ start: span.start, end: span.end });
      }
    }
    return ranges;
  }

  /** Which DWARF file a path from the editor is; undefined when the module was not built from it. */
  matchFile(editorPath: string): string | undefined {
    const wanted = normalize(editorPath);
    const exact = this.files.find((file) => normalize(file) === wanted);
    if (exact) return exact;
    // A relative DWARF name (no compilation directory, or a relative one) matches the end of the editor's path.
    const suffix = this.files.filter((file) => {
      const tail = normalize(file).replace(/^(\.\.?\/)+/, '');
      return !path.isAbsolute(tail) && (wanted === tail || wanted.endsWith('/' + tail));
    });
    if (suffix.length === 1) return suffix[0];
    // The tree moved since the build: the same file name, when only one file has it.
    const base = path.basename(wanted);
    const sameName = this.files.filter((file) => path.posix.basename(normalize(file)) === base);
    return sameName.length === 1 ? sameName[0] : undefined;
  }

  /** Places a breakpoint on `line` of a DWARF file, or on the next line that has code. */
  resolveLine(file: string, line: number): ResolvedLineBreakpoint | undefined {
    let best: number | undefined;
    for (const span of this.spans) {
      if (span.file !== file || !span.isStmt || span.line < line) continue;
      if (best === undefined || span.line < best) best = span.line;
    }
    if (best === undefined) return undefined;
    const perFunction = new Map<number, number>();
    for (const span of this.spans) {
      if (span.file !== file || span.line !== best || !span.isStmt) continue;
      const fn = functionAt(this.layout, span.start);
      const key = fn?.index ?? -1;
      const known = perFunction.get(key);
      if (known === undefined || span.start < known) perFunction.set(key, span.start);
    }
    return { file, line: best, offsets: [...perFunction.values()].sort((a, b) => a - b) };
  }

  /** Where a function's own code starts: its first row marked prologue_end, else its second line row. */
  firstStatementOf(functionStart: number, functionEnd: number): number | undefined {
    const spans = this.spansIn(functionStart, functionEnd).filter((span) => span.line > 0);
    return (spans.find((span) => span.prologueEnd) ?? spans[1] ?? spans[0])?.start;
  }

  private spanAt(offset: number): LineSpan | undefined {
    let low = 0;
    let high = this.spans.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const span = this.spans[mid]!;
      if (offset < span.start) high = mid - 1;
      else if (offset >= span.end) low = mid + 1;
      else return span;
    }
    return undefined;
  }

  private spansIn(start: number, end: number): LineSpan[] {
    return this.spans.filter((span) => span.start >= start && span.start < end);
  }
}

function resolveFile(compDir: string | undefined, name: string): string {
  if (isAbsolutePath(name) || compDir === undefined || compDir === '') return name;
  return `${compDir.replace(/\/+$/, '')}/${name}`;
}

function isAbsolutePath(file: string): boolean {
  return file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file);
}

function normalize(file: string): string {
  const slashed = file.replace(/\\/g, '/');
  const normalized = path.posix.normalize(slashed);
  // Windows drive letters compare case-insensitively.
  return /^[A-Za-z]:\//.test(normalized) ? normalized[0]!.toLowerCase() + normalized.slice(1) : normalized;
}
