/**
 * Finds where a JSON text stops being valid. Node 20's `JSON.parse` reports neither line nor column, and a
 * configuration error is only useful when it says where to look.
 */

/** The first syntax error of a JSON text, 1-based. */
export interface JsonSyntaxError {
  line: number;
  column: number;
  problem: string;
}

class SyntaxFailure extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

/** Walks a JSON text with the grammar of RFC 8259 and stops at the first violation. */
class JsonScanner {
  private offset = 0;

  constructor(private readonly text: string) {}

  scanDocument(): void {
    this.skipWhitespace();
    this.scanValue();
    this.skipWhitespace();
    if (this.offset < this.text.length) this.fail(`unexpected ${this.describeCurrent()} after the end of the document`);
  }

  private scanValue(): void {
    const char = this.text[this.offset];
    if (char === '{') return this.scanObject();
    if (char === '[') return this.scanArray();
    if (char === '"') return this.scanString();
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return this.scanNumber();
    for (const literal of ['true', 'false', 'null']) {
      if (this.text.startsWith(literal, this.offset)) {
        this.offset += literal.length;
        return;
      }
    }
    this.fail(`unexpected ${this.describeCurrent()}, expected a value`);
  }

  private scanObject(): void {
    this.offset += 1;
    this.skipWhitespace();
    if (this.text[this.offset] === '}') {
      this.offset += 1;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.offset] !== '"') this.fail(`unexpected ${this.describeCurrent()}, expected a property name`);
      this.scanString();
      this.skipWhitespace();
      if (this.text[this.offset] !== ':') this.fail(`unexpected ${this.describeCurrent()}, expected ':'`);
      this.offset += 1;
      this.skipWhitespace();
      this.scanValue();
      this.skipWhitespace();
      const next = this.text[this.offset];
      this.offset += 1;
      if (next === '}') return;
      if (next !== ',') this.failBefore(`expected ',' or '}'`);
    }
  }

  private scanArray(): void {
    this.offset += 1;
    this.skipWhitespace();
    if (this.text[this.offset] === ']') {
      this.offset += 1;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      this.scanValue();
      this.skipWhitespace();
      const next = this.text[this.offset];
      this.offset += 1;
      if (next === ']') return;
      if (next !== ',') this.failBefore(`expected ',' or ']'`);
    }
  }

  private scanString(): void {
    this.offset += 1;
    for (;;) {
      const char = this.text[this.offset];
      if (char === undefined) this.fail('unterminated string');
      if (char === '"') {
        this.offset += 1;
        return;
      }
      if (char < ' ') this.fail('control character in string');
      if (char === '\\') {
        const escape = this.text[this.offset + 1];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.offset + 2, this.offset + 6))) this.fail('bad \\u escape');
          this.offset += 6;
          continue;
        }
        if (escape === undefined || !'"\\/bfnrt'.includes(escape)) this.fail('bad escape in string');
        this.offset += 2;
        continue;
      }
      this.offset += 1;
    }
  }

  private scanNumber(): void {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.offset));
    if (match === null) this.fail('malformed number');
    this.offset += match[0].length;
  }

  private skipWhitespace(): void {
    while (this.offset < this.text.length && ' \t\n\r'.includes(this.text[this.offset] ?? '')) this.offset += 1;
  }

  private describeCurrent(): string {
    const char = this.text[this.offset];
    return char === undefined ? 'end of input' : JSON.stringify(char);
  }

  private fail(problem: string): never {
    throw new SyntaxFailure(this.offset, problem);
  }

  /** Fails at the character just consumed. */
  private failBefore(expectation: string): never {
    this.offset -= 1;
    this.fail(`unexpected ${this.describeCurrent()}, ${expectation}`);
  }
}

/** Locates the first syntax error of `text`, or returns undefined when the text is valid JSON. */
export function locateJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    new JsonScanner(text).scanDocument();
    return undefined;
  } catch (error) {
    if (!(error instanceof SyntaxFailure)) throw error;
    const before = text.slice(0, error.offset);
    const line = before.split('\n').length;
    const column = error.offset - before.lastIndexOf('\n');
    return { line, column, problem: error.problem };
  }
}
