// Parser of dotenv files (launch.json `envFile`): KEY=VALUE lines, quotes, comments, an `export` prefix.
//
// Rules, as the common dotenv tools have them:
// - blank lines and lines whose first non-blank character is `#` are ignored; a leading `export ` is dropped;
// - the name is the text before the first `=`, trimmed; it may not be empty or contain blanks;
// - an unquoted value is trimmed and ends at a `#` that starts it or follows a blank (a comment);
//   `#` inside a word ("http://x/#top") is kept;
// - a value in double quotes may span lines and understands \n \r \t \\ \" (any other \x is kept as is);
// - a value in single quotes or backticks is literal and may span lines;
// - after a closing quote only blanks and a comment may follow;
// - no `${VAR}` expansion: values are taken literally.

export class EnvFileError extends Error {
  override readonly name = 'EnvFileError';
  /** 1-based line where the problem starts. */
  readonly line: number;

  constructor(line: number, problem: string) {
    super(`line ${line}: ${problem}`);
    this.line = line;
  }
}

const DOUBLE_QUOTE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"' };

/** The assignments of a dotenv text, in file order (a name assigned twice appears twice). */
export function parseEnvFile(text: string): Array<[string, string]> {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const pairs: Array<[string, string]> = [];
  let position = 0;
  let line = 1;

  const atLineEnd = (): boolean => position >= source.length || source[position] === '\n' || source.startsWith('\r\n', position);
  const skipBlanks = (): void => {
    while (source[position] === ' ' || source[position] === '\t') position++;
  };
  const skipLineEnd = (): void => {
    if (source.startsWith('\r\n', position)) position += 2;
    else if (source[position] === '\n') position += 1;
    line++;
  };
  const restOfLine = (): string => {
    const end = source.indexOf('\n', position);
    const stop = end === -1 ? source.length : end;
    const text = source.slice(position, stop).replace(/\r$/, '');
    position = stop;
    return text;
  };

  while (position < source.length) {
    skipBlanks();
    if (atLineEnd()) {
      if (position < source.length) skipLineEnd();
      continue;
    }
    if (source[position] === '#') {
      restOfLine();
      if (position < source.length) skipLineEnd();
      continue;
    }
    const startLine = line;
    if (/^export[ \t]/.test(source.slice(position, position + 7))) {
      position += 6;
      skipBlanks();
    }
    const lineEnd = source.indexOf('\n', position);
    const equals = source.indexOf('=', position);
    if (equals === -1 || (lineEnd !== -1 && equals > lineEnd)) {
      throw new EnvFileError(startLine, `expected KEY=VALUE, found ${JSON.stringify(restOfLine())}`);
    }
    const key = source.slice(position, equals).trim();
    if (key === '') throw new EnvFileError(startLine, 'the variable name before "=" is missing');
    if (/\s/.test(key)) throw new EnvFileError(startLine, `the variable name ${JSON.stringify(key)} contains blanks`);
    position = equals + 1;
    skipBlanks();

    const quote = source[position];
    let value: string;
    if (quote === '"' || quote === "'" || quote === '`') {
      position++;
      let collected = '';
      for (;;) {
        if (position >= source.length) {
          throw new EnvFileError(startLine, `the quoted value of ${key} is never closed (missing ${quote})`);
        }
        const char = source[position]!;
        if (char === quote) {
          position++;
          break;
        }
        if (char === '\\' && quote === '"' && position + 1 < source.length) {
          const next = source[position + 1]!;
          collected += DOUBLE_QUOTE_ESCAPES[next] ?? `\\${next}`;
          position += 2;
          continue;
        }
        if (char === '\r' && source[position + 1] === '\n') {
          position++; // a CRLF inside quotes is one newline
          continue;
        }
        if (char === '\n') line++;
        collected += char;
        position++;
      }
      value = collected;
      skipBlanks();
      if (!atLineEnd() && source[position] !== '#') {
        throw new EnvFileError(line, `unexpected text after the closing quote of ${key}: ${JSON.stringify(restOfLine())}`);
      }
      restOfLine();
    } else {
      const raw = restOfLine();
      const comment = /(^|[ \t])#/.exec(raw);
      value = (comment === null ? raw : raw.slice(0, comment.index)).trim();
    }
    pairs.push([key, value]);
    if (position < source.length) skipLineEnd();
  }
  return pairs;
}
