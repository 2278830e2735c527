// DWARF line tables and module layout of the debugging fixture, checked against llvm-dwarfdump / llvm-symbolizer as oracles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readModuleLayout, functionAt } from '../../src/debug/dwarf/wasmSections';
import { readLinePrograms } from '../../src/debug/dwarf/lineProgram';
import { SourceLineMap } from '../../src/debug/dwarf/sourceLines';
import { readDebugInfo, variablesInScope } from '../../src/debug/dwarf/debugInfo';
import { formatValue, sizeOf } from '../../src/debug/dwarf/cValues';
import { readableFunctionName } from '../../src/debug/inspector/symbolNames';

const fixtures = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'debugging');
const wasmPath = path.join(fixtures, 'debugme.wasm');
const bytes = new Uint8Array(readFileSync(wasmPath));
const layout = readModuleLayout(bytes);

function tool(name: string): string | undefined {
  for (const candidate of [name, `${name}-14`]) {
    if (spawnSync(candidate, ['--version']).status === 0) return candidate;
  }
  return undefined;
}

test('the layout finds the code section and named function bodies', () => {
  const main = layout.functions.find((f) => f.name === 'main');
  const square = layout.functions.find((f) => f.name === 'square');
  assert.ok(main && square);
  assert.ok(square.start < square.codeStart && square.codeStart < square.end);
  assert.equal(functionAt(layout, square.codeStart)?.name, 'square');
  assert.equal(functionAt(layout, main.end - 1)?.name, 'main');
  assert.equal(functionAt(layout, layout.codeSectionStart), undefined, 'the function count is no function');
  assert.ok(layout.customSections.has('.debug_line'));
});

test('every row of debugme.c matches llvm-dwarfdump --debug-line', (t) => {
  const dwarfdump = tool('llvm-dwarfdump');
  if (!dwarfdump) return t.skip('llvm-dwarfdump is not installed (apt-get install llvm-14)');
  const dump = spawnSync(dwarfdump, ['--debug-line', wasmPath], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
  // The program whose file table names debugme.c, then its row table.
  const block = dump.split(/^debug_line\[/m).find((part) => /name: "debugme\.c"/.test(part));
  assert.ok(block, 'dwarfdump shows the debugme.c line program');
  const expected = [...block.matchAll(/^0x([0-9a-f]{16})[ \t]+(\d+)[ \t]+(\d+)[ \t]+(\d+)[ \t]+\d+[ \t]+\d+[ \t]*(.*)$/gm)].map((m) => ({
    address: parseInt(m[1]!, 16),
    line: Number(m[2]),
    column: Number(m[3]),
    isStmt: m[5]!.includes('is_stmt'),
    prologueEnd: m[5]!.includes('prologue_end'),
    endSequence: m[5]!.includes('end_sequence'),
  }));
  assert.ok(expected.length > 20);
  const programs = readLinePrograms({ debugLine: layout.customSections.get('.debug_line')!, debugStr: layout.customSections.get('.debug_str') });
  const ours = programs.find((program) => [...program.files.values()].includes('debugme.c'));
  assert.ok(ours);
  assert.deepEqual(
    ours.rows.map((r) => ({ address: r.address, line: r.line, column: r.column, isStmt: r.isStmt, prologueEnd: r.prologueEnd, endSequence: r.endSequence })),
    expected,
  );
});

test('offsets map to the same file:line:column as llvm-symbolizer', (t) => {
  const symbolizer = tool('llvm-symbolizer');
  if (!symbolizer) return t.skip('llvm-symbolizer is not installed (apt-get install llvm-14)');
  const lines = SourceLineMap.fromModule(layout)!;
  const main = layout.functions.find((f) => f.name === 'main')!;
  const square = layout.functions.find((f) => f.name === 'square')!;
  const offsets = [square.codeStart + 10, main.codeStart + 60, main.codeStart + 140, main.end - 3];
  const relative = offsets.map((offset) => `0x${(offset - layout.codeSectionStart).toString(16)}`);
  const out = spawnSync(symbolizer, [`--obj=${wasmPath}`, ...relative], { encoding: 'utf8' }).stdout;
  const answers = out.trim().split(/\n\n/).map((block) => block.split('\n')[1]!);
  offsets.forEach((offset, i) => {
    const position = lines.positionAt(offset)!;
    assert.equal(`${position.file}:${position.line}:${position.column}`, answers[i], `offset 0x${offset.toString(16)}`);
  });
});

test('a breakpoint line slides to the next line with code; lines past the end have none', () => {
  const lines = SourceLineMap.fromModule(layout)!;
  const file = lines.matchFile('/some/other/checkout/debugme.c');
  // The fixture is built with -fdebug-prefix-map, so its DWARF names the file relative to the module.
  assert.equal(file, './debugme.c', 'a moved tree still matches by the file name');
  const onSquareBody = lines.resolveLine(file!, 9)!;
  assert.equal(onSquareBody.line, 9);
  assert.equal(onSquareBody.offsets.length, 1);
  assert.equal(functionAt(layout, onSquareBody.offsets[0]!)?.name, 'square');
  assert.equal(lines.resolveLine(file!, 18)!.line, 19, 'the closing brace of the loop has no code');
  assert.equal(lines.resolveLine(file!, 99), undefined);
  assert.equal(lines.matchFile('/tmp/unrelated.c'), undefined);
});

test('a step range covers every piece of the line in its function and is merged', () => {
  const lines = SourceLineMap.fromModule(layout)!;
  const file = lines.matchFile(path.join(fixtures, 'debugme.c'))!;
  const forLine = lines.resolveLine(file, 16)!;
  const ranges = lines.stepRanges(forLine.offsets[0]!);
  assert.ok(ranges.length >= 2, 'the for line has its init/test part and its increment part');
  for (let i = 0; i < ranges.length; i++) {
    assert.ok(ranges[i]!.start < ranges[i]!.end);
    if (i > 0) assert.ok(ranges[i - 1]!.end < ranges[i]!.start, 'sorted and merged');
    for (let offset = ranges[i]!.start; offset < ranges[i]!.end; offset++) {
      const line = lines.positionAt(offset)!.line;
      assert.ok(line === 16 || line === 0, `0x${offset.toString(16)} is on line ${line}`);
    }
  }
});

test('main starts after its prologue; a module built without -g knows only libc lines', () => {
  const lines = SourceLineMap.fromModule(layout)!;
  const main = layout.functions.find((f) => f.name === 'main')!;
  const first = lines.firstStatementOf(main.start, main.end)!;
  assert.equal(lines.positionAt(first)!.line, 14);
  const plain = readModuleLayout(new Uint8Array(readFileSync(path.join(fixtures, 'nodebug.wasm'))));
  const plainLines = SourceLineMap.fromModule(plain)!;
  assert.equal(plainLines.matchFile(path.join(fixtures, 'debugme.c')), undefined);
  const plainMain = plain.functions.find((f) => f.name === 'main')!;
  assert.equal(plainLines.positionAt(plainMain.codeStart), undefined);
  assert.ok(plain.functions.some((f) => f.name === 'main'), 'names survive without DWARF');
});

test('a file that is not a module is refused', () => {
  assert.throws(() => readModuleLayout(new TextEncoder().encode('hello world')), /not a WebAssembly module/);
});

test('.debug_info gives main\'s variables with the frame offsets llvm-dwarfdump shows, block scopes and typed globals', (t) => {
  const dwarfdump = tool('llvm-dwarfdump');
  if (!dwarfdump) return t.skip('llvm-dwarfdump is not installed (apt-get install llvm-14)');
  const info = readDebugInfo({
    debugInfo: layout.customSections.get('.debug_info')!,
    debugAbbrev: layout.customSections.get('.debug_abbrev')!,
    debugStr: layout.customSections.get('.debug_str'),
  });
  const dump = spawnSync(dwarfdump, ['--debug-info', wasmPath], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
  // One block per DIE; main's subprogram block, then its children up to the next top-level DIE.
  const blocks = dump.split(/\n(?=0x[0-9a-f]{8}:)/);
  const start = blocks.findIndex((b) => /DW_TAG_subprogram/.test(b) && /DW_AT_name\t\("main"\)/.test(b));
  assert.ok(start >= 0, 'dwarfdump shows main');
  const frameBaseLocal = /DW_OP_WASM_location 0x0 (0x[0-9a-f]+)/.exec(blocks[start]!)![1]!;
  const children: string[] = [];
  for (let k = start + 1; k < blocks.length && !/^0x[0-9a-f]{8}:   DW_TAG_/.test(blocks[k]!); k++) children.push(blocks[k]!);
  const expected = children
    .map((b) => /DW_AT_location\t\(DW_OP_fbreg \+?(-?\d+)\)\n\s*DW_AT_name\t\("(\w+)"\)/.exec(b))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[2], Number(m[1])]);
  assert.ok(expected.length >= 5);
  const main = info.functions.find((f) => f.name === 'main')!;
  assert.deepEqual(main.frameBase, { space: 'local', index: parseInt(frameBaseLocal, 16) });
  assert.deepEqual(main.variables.map((v) => [v.name, v.location.kind === 'frame' ? v.location.offset : NaN]), expected);
  const i = main.variables.find((v) => v.name === 'i')!;
  assert.ok(i.scope && i.scope.length === 1, 'i lives in the for block');
  assert.deepEqual(variablesInScope(main, main.low + 1).map((v) => v.name), ['argc', 'argv', 'count', 'sum']);
  assert.ok(variablesInScope(main, i.scope![0]![0]).some((v) => v.name === 'i'));
  const argv = main.variables.find((v) => v.name === 'argv')!;
  assert.equal(argv.type?.name, 'char **');
  const message = info.globals.find((v) => v.name === 'message')!;
  assert.equal(message.type?.name, 'char[16]');
  assert.equal(formatValue(message.type, new TextEncoder().encode('DEBUG-MEMORY\0\0\0\0')), '"DEBUG-MEMORY"');
  const total = info.globals.find((v) => v.name === 'total')!;
  assert.equal(formatValue(total.type, new Uint8Array([0xfe, 0xff, 0xff, 0xff])), '-2');
  assert.equal(sizeOf(message.type), 16);
});

test('Rust legacy symbols read as paths; C names are unchanged', () => {
  assert.equal(readableFunctionName('_ZN2sq6square17h877bd75e76b8703fE'), 'sq::square');
  assert.equal(readableFunctionName('_ZN4core3ops8function6FnOnce9call_once17h90afbf8ea38e6fedE'), 'core::ops::function::FnOnce::call_once');
  assert.equal(readableFunctionName('_ZN60_$LT$alloc..string..String$u20$as$u20$core..fmt..Display$GT$3fmt17h0123456789abcdefE'), '<alloc::string::String as core::fmt::Display>::fmt');
  assert.equal(readableFunctionName('main'), 'main');
  assert.equal(readableFunctionName('_ZNbroken'), '_ZNbroken');
});
