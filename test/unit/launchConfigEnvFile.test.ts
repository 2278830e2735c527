// Unit tests of the dotenv parser behind launch.json `envFile`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EnvFileError, parseEnvFile } from '../../src/debug/envFile';

function expectEnvFileError(text: string, line: number, message: string): void {
  assert.throws(() => parseEnvFile(text), (error: unknown) => {
    assert.ok(error instanceof EnvFileError);
    assert.equal(error.line, line);
    assert.equal(error.message, message);
    return true;
  });
}

test('plain assignments, blank lines, comments and the export prefix', () => {
  const text = '# settings\n\nA=1\n  B = two words  \nexport C=3\n\t# indented comment\nexport=x\n';
  assert.deepEqual(parseEnvFile(text), [
    ['A', '1'],
    ['B', 'two words'],
    ['C', '3'],
    ['export', 'x'],
  ]);
});

test('a "#" starts a comment at the start of an unquoted value or after a blank; an empty value is allowed', () => {
  assert.deepEqual(parseEnvFile('URL=http://x/#frag # comment\nEMPTY=\nHASH=#all comment\n'), [
    ['URL', 'http://x/#frag'],
    ['EMPTY', ''],
    ['HASH', ''],
  ]);
});

test('double quotes understand escapes and span lines; single quotes and backticks are literal', () => {
  const text = 'D="a\\nb\\t\\"q\\" \\\\ \\x"\nS=\'a\\nb #x\'\nB=`it\'s "both"`\nM="line1\nline2" # trailing comment\nCR="x\r\ny"\r\n';
  assert.deepEqual(parseEnvFile(text), [
    ['D', 'a\nb\t"q" \\ \\x'],
    ['S', 'a\\nb #x'],
    ['B', 'it\'s "both"'],
    ['M', 'line1\nline2'],
    ['CR', 'x\ny'],
  ]);
});

test('CRLF line endings and a byte-order mark are handled; "=" inside a value is kept', () => {
  assert.deepEqual(parseEnvFile('\uFEFFA=1\r\nB=x=y\r\n'), [
    ['A', '1'],
    ['B', 'x=y'],
  ]);
});

test('a name assigned twice appears twice, in order (the later one wins when applied)', () => {
  assert.deepEqual(parseEnvFile('A=1\nA=2\n'), [
    ['A', '1'],
    ['A', '2'],
  ]);
});

test('errors name the line', () => {
  expectEnvFileError('A=1\njust words\n', 2, 'line 2: expected KEY=VALUE, found "just words"');
  expectEnvFileError('=value', 1, 'line 1: the variable name before "=" is missing');
  expectEnvFileError('MY VAR=1', 1, 'line 1: the variable name "MY VAR" contains blanks');
  expectEnvFileError('A=1\nB="open\nstill open\n', 2, 'line 2: the quoted value of B is never closed (missing ")');
  expectEnvFileError('A="x" y\n', 1, 'line 1: unexpected text after the closing quote of A: "y"');
  expectEnvFileError('A="multi\nline" junk\n', 2, 'line 2: unexpected text after the closing quote of A: "junk"');
});
