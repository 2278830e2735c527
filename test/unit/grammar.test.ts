// Tokenizes real WAT/WAST with VS Code's own TextMate engine (vscode-textmate + oniguruma) and checks the scopes of the grammar.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const root = path.resolve(__dirname, '..', '..', '..');
const grammarPath = path.join(root, 'syntaxes', 'wat.tmLanguage.json');
const fixtureDir = path.join(root, 'test', 'fixtures', 'grammar');

interface Token {
  text: string;
  scopes: string[];
}

let grammar: textmate.IGrammar;

before(async () => {
  const wasm = readFileSync(path.join(root, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === 'source.wat' ? textmate.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath) : null,
  });
  const loaded = await registry.loadGrammar('source.wat');
  assert.ok(loaded, 'the grammar loads');
  grammar = loaded;
});

function tokenize(text: string): Token[][] {
  let state = textmate.INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

/** The scopes of the token that is exactly `text` on the first line containing `lineIncludes`. */
function scopesOf(lines: Token[][], lineIncludes: string, text: string, occurrence = 0): string[] {
  const line = lines.find((tokens) => tokens.map((t) => t.text).join('').includes(lineIncludes));
  assert.ok(line, `a line containing ${JSON.stringify(lineIncludes)}`);
  const matches = line.filter((t) => t.text === text);
  const token = matches[occurrence];
  assert.ok(
    token,
    `token ${JSON.stringify(text)} on line ${JSON.stringify(lineIncludes)}; tokens: ${JSON.stringify(line.map((t) => t.text))}`,
  );
  return token.scopes;
}

function innermost(scopes: string[]): string {
  return scopes[scopes.length - 1]!;
}

const sampleWat = () => tokenize(readFileSync(path.join(fixtureDir, 'sample.wat'), 'utf8'));

test('line comments and nested block comments', () => {
  const lines = sampleWat();
  assert.equal(innermost(scopesOf(lines, 'Grammar fixture', ';; Grammar fixture: one of each construct the WAT grammar colours.')), 'comment.line.double-semicolon.wat');
  // The nested (; … ;) does not end the outer comment: "still comment" is still inside it.
  const nested = lines.find((tokens) => tokens.some((t) => t.text.includes('still comment')))!;
  const still = nested.find((t) => t.text.includes('still comment'))!;
  assert.deepEqual(still.scopes, ['source.wat', 'comment.block.wat']);
  const innerOpen = nested.filter((t) => t.text === '(;');
  assert.equal(innerOpen.length, 2);
  assert.deepEqual(innerOpen[1]!.scopes, ['source.wat', 'comment.block.wat', 'comment.block.wat', 'punctuation.definition.comment.begin.wat']);
});

test('strings and their escapes', () => {
  const lines = sampleWat();
  assert.deepEqual(scopesOf(lines, '"fd_write"', 'fd_write'), ['source.wat', 'string.quoted.double.wat']);
  assert.equal(innermost(scopesOf(lines, '(data', '\\n')), 'constant.character.escape.wat');
  assert.equal(innermost(scopesOf(lines, '(data', '\\u{1F600}')), 'constant.character.escape.wat');
  assert.equal(innermost(scopesOf(lines, '(data', '\\ff')), 'constant.character.escape.wat');
});

test('function definitions and calls are named', () => {
  const lines = sampleWat();
  assert.equal(innermost(scopesOf(lines, '(func $add', '$add')), 'entity.name.function.wat');
  assert.equal(innermost(scopesOf(lines, '(func $add', 'func')), 'storage.type.function.wat');
  assert.equal(innermost(scopesOf(lines, '(call $add', '$add')), 'entity.name.function.call.wat');
  assert.equal(innermost(scopesOf(lines, '(call $add', 'call')), 'keyword.control.call.wat');
  assert.equal(innermost(scopesOf(lines, '(type $binop (func', '$binop')), 'entity.name.type.wat');
  assert.equal(innermost(scopesOf(lines, '(global $counter', '$counter')), 'entity.name.global.wat');
});

test('identifiers, value types and module fields', () => {
  const lines = sampleWat();
  assert.equal(innermost(scopesOf(lines, 'local.get $a', '$a')), 'variable.other.identifier.wat');
  assert.equal(innermost(scopesOf(lines, '(local $f f64)', 'f64')), 'storage.type.wat');
  assert.equal(innermost(scopesOf(lines, '(memory (export', 'export')), 'storage.type.wat');
  assert.equal(innermost(scopesOf(lines, '(global $counter', 'mut')), 'storage.type.wat');
  assert.equal(innermost(scopesOf(lines, '(module $demo', '$demo')), 'entity.name.module.wat');
});

test('instructions: control flow, numeric and variable instructions', () => {
  const lines = sampleWat();
  assert.equal(innermost(scopesOf(lines, 'i32.add)', 'i32.add')), 'keyword.operator.word.wat');
  assert.equal(innermost(scopesOf(lines, 'local.get $a', 'local.get')), 'keyword.operator.word.wat');
  assert.equal(innermost(scopesOf(lines, '(global.get $counter', 'global.get')), 'keyword.operator.word.wat');
  assert.equal(innermost(scopesOf(lines, 'i32.load8_u', 'i32.load8_u')), 'keyword.operator.word.wat');
  assert.equal(innermost(scopesOf(lines, '(else unreachable', 'unreachable')), 'keyword.control.wat');
  assert.equal(innermost(scopesOf(lines, '(br_if $out', 'br_if')), 'keyword.control.wat');
  assert.equal(innermost(scopesOf(lines, '(loop $again', 'loop')), 'keyword.control.wat');
  assert.equal(innermost(scopesOf(lines, '(if (i32.eqz', 'if')), 'keyword.control.wat');
  assert.equal(innermost(scopesOf(lines, '(drop (i32.load8_u', 'drop')), 'keyword.operator.word.wat');
});

test('numbers: negative, hex float, underscores, nan payloads, memargs', () => {
  const lines = sampleWat();
  assert.equal(innermost(scopesOf(lines, '(i32.const -42)', '-42')), 'constant.numeric.decimal.wat');
  assert.equal(innermost(scopesOf(lines, '0x1.8p+3', '0x1.8p+3')), 'constant.numeric.hex.wat');
  assert.equal(innermost(scopesOf(lines, '2_000', '2_000')), 'constant.numeric.decimal.wat');
  assert.equal(innermost(scopesOf(lines, 'nan:0x200000', 'nan:0x200000')), 'constant.numeric.float.wat');
  assert.equal(innermost(scopesOf(lines, 'offset=4', 'offset')), 'keyword.other.memarg.wat');
  assert.equal(innermost(scopesOf(lines, 'offset=4', '4', 0)), 'constant.numeric.integer.wat');
});

test('an identifier that looks like a keyword stays an identifier', () => {
  const lines = tokenize('(func $loop (local $i32 i32) (br $block) (call $if))');
  assert.equal(innermost(scopesOf(lines, '$loop', '$loop')), 'entity.name.function.wat');
  assert.equal(innermost(scopesOf(lines, '$i32', '$i32')), 'variable.other.identifier.wat');
  assert.equal(innermost(scopesOf(lines, '$block', '$block')), 'variable.other.identifier.wat');
  assert.equal(innermost(scopesOf(lines, '$if', '$if')), 'entity.name.function.call.wat');
});

test('.wast script commands', () => {
  const lines = tokenize(readFileSync(path.join(fixtureDir, 'sample.wast'), 'utf8'));
  assert.equal(innermost(scopesOf(lines, 'assert_return', 'assert_return')), 'keyword.other.script.wast');
  assert.equal(innermost(scopesOf(lines, 'assert_return', 'invoke')), 'keyword.other.script.wast');
});

test('parentheses are brackets, and every line of the fixture tokenizes with no unscoped text', () => {
  const lines = sampleWat();
  assert.equal(innermost(scopesOf(lines, '(module $demo', '(')), 'meta.brace.round.wat');
  for (const tokens of lines) {
    for (const token of tokens) {
      if (token.text.trim() === '') continue;
      assert.ok(token.scopes.length > 1, `token ${JSON.stringify(token.text)} has a scope beyond source.wat`);
    }
  }
});
