// A reader for VS Code's "JSON with comments" (launch.json): // and /* */ comments, trailing commas, errors with line:column.
//
// A small recursive-descent parser rather than JSON.parse on stripped text, because V8's JSON.parse
// messages do not always carry a position, and a user needs to know where the mistake is.

export class JsoncError extends Error {
  constructor(readonly line: number, readonly column: number, problem: string) {
    super(`line ${line}, column ${column}: ${problem}`);
    this.name = 'JsoncError';
  }
}

export function parseJsonc(text: string): unknown {
  return new JsoncParser(text).parseDocument();
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class JsoncParser {
  private index = 0;

  constructor(private readonly text: string) {
    if (text.charCodeAt(0) === 0xfeff) this.index = 1; // byte-order mark
  }

  parseDocument(): unknown {
    const value = this.parseValue();
    this.skipTrivia();
    if (this.index < this.text.length) this.fail(`unexpected ${this.describeHere()} after the end of the document`);
    return value;
  }

  private parseValue(): unknown {
    this.skipTrivia();
    const char = this.text[this.index];
    if (char === '{') return this.parseObject();
    if (char === '[') return this.parseArray();
    if (char === '"') return this.parseString();
    if (char === '-' || (char >= '0' && char <= '9')) return this.parseNumber();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.index)) {
        this.index += word.length;
        return value;
      }
    }
    return this.fail(`expected a value, found ${this.describeHere()}`);
  }

  private parseObject(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.index++; // {
    for (;;) {
      this.skipTrivia();
      if (this.text[this.index] === '}') {
        this.index++;
        return result;
      }
      if (this.text[this.index] !== '"') this.fail(`expected a property name in double quotes or '}', found ${this.describeHere()}`);
      const key = this.parseString();
      this.skipTrivia();
      if (this.text[this.index] !== ':') this.fail(`expected ':' after the property name "${key}", found ${this.describeHere()}`);
      this.index++;
      const value = this.parseValue();
      // defineProperty: a key named "__proto__" is data, not the prototype.
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      this.skipTrivia();
      const next = this.text[this.index];
      if (next === ',') {
        this.index++;
        continue; // a trailing comma is fine: the loop then sees '}'
      }
      if (next === '}') continue;
      this.fail(`expected ',' or '}' after the value of "${key}", found ${this.describeHere()}`);
    }
  }

  private parseArray(): unknown[] {
    const result: unknown[] = [];
    this.index++; // [
    for (;;) {
      this.skipTrivia();
      if (this.text[this.index] === ']') {
        this.index++;
        return result;
      }
      result.push(this.parseValue());
      this.skipTrivia();
      const next = this.text[this.index];
      if (next === ',') {
        this.index++;
        continue;
      }
      if (next === ']') continue;
      this.fail(`expected ',' or ']' in the list, found ${this.describeHere()}`);
    }
  }

  private parseString(): string {
    const start = this.index;
    this.index++; // opening quote
    while (this.index < this.text.length) {
      const char = this.text[this.index];
      if (char === '"') {
        this.index++;
        try {
          return JSON.parse(this.text.slice(start, this.index)) as string;
        } catch {
          this.index = start;
          return this.fail('invalid escape or control character in this string');
        }
      }
      if (char === '\n') break;
      this.index += char === '\\' ? 2 : 1;
    }
    this.index = start;
    return this.fail('unterminated string');
  }

  private parseNumber(): number {
    NUMBER.lastIndex = this.index;
    const match = NUMBER.exec(this.text);
    if (!match) return this.fail(`invalid number ${this.describeHere()}`);
    this.index += match[0].length;
    return Number(match[0]);
  }

  /** Whitespace and comments. */
  private skipTrivia(): void {
    for (;;) {
      const char = this.text[this.index];
      if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
        this.index++;
      } else if (char === '/' && this.text[this.index + 1] === '/') {
        const end = this.text.indexOf('\n', this.index);
        this.index = end === -1 ? this.text.length : end;
      } else if (char === '/' && this.text[this.index + 1] === '*') {
        const end = this.text.indexOf('*/', this.index + 2);
        if (end === -1) this.fail('unterminated /* comment');
        this.index = end + 2;
      } else {
        return;
      }
    }
  }

  private describeHere(): string {
    if (this.index >= this.text.length) return 'the end of the file';
    return JSON.stringify(this.text.slice(this.index, this.index + 12).split('\n')[0]);
  }

  private fail(problem: string): never {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < this.index; i++) {
      if (this.text[i] === '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    throw new JsoncError(line, this.index - lineStart + 1, problem);
  }
}
