/**
 * Translation of Go (RE2) regular expressions, as found in the `pattern`
 * keywords of CustomResourceDefinition schemas, into JavaScript regular
 * expressions compiled with the `u` flag.
 *
 * Handled RE2 syntax: `\pL` / `\PL` (one-letter classes), `\p{Greek}` (scripts),
 * `\p{^L}`, `\z`, `\A`, `\Q...\E`, `\x{...}`, `(?P<name>...)`, POSIX classes
 * such as `[[:alpha:]]`, escaped punctuation that JavaScript rejects in
 * unicode mode, literal braces and brackets, and leading flag groups
 * (`(?i)`, `(?s)`, `(?m)`) which become RegExp flags.
 */

/** Unicode general categories, which JavaScript accepts bare in `\p{...}`. */
const GENERAL_CATEGORIES = new Set([
  'C', 'Cc', 'Cf', 'Cn', 'Co', 'Cs',
  'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu',
  'M', 'Mc', 'Me', 'Mn',
  'N', 'Nd', 'Nl', 'No',
  'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps',
  'S', 'Sc', 'Sk', 'Sm', 'So',
  'Z', 'Zl', 'Zp', 'Zs',
  'Any',
]);

/** ASCII ranges of the POSIX classes RE2 accepts inside brackets. */
const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** Characters that may follow a backslash in a JavaScript unicode-mode pattern. */
const JS_SYNTAX_CHARS = new Set('^$\\.*+?()[]{}|/'.split(''));

/** A translated pattern: JavaScript source and the flags it needs besides `u`. */
export interface TranslatedPattern {
  readonly source: string;
  readonly flags: string;
}

/** Translates a Go (RE2) pattern into JavaScript (unicode mode) syntax. */
export function translateGoPattern(pattern: string): TranslatedPattern {
  const { flags, rest } = splitLeadingFlags(pattern);
  return { source: new PatternTranslator(rest).translate(), flags };
}

/** Compiles a Go (RE2) pattern into a JavaScript RegExp (always with `u`). */
export function compileGoPattern(pattern: string): RegExp {
  const { source, flags } = translateGoPattern(pattern);
  return new RegExp(source, `u${flags}`);
}

/** Splits a leading RE2 flag group such as `(?i)` off a pattern. */
function splitLeadingFlags(pattern: string): { flags: string; rest: string } {
  const match = /^\(\?([imsU]+)\)/.exec(pattern);
  if (!match) return { flags: '', rest: pattern };
  if (match[1].includes('U')) throw new Error(`unsupported RE2 flag U in pattern ${pattern}`);
  return { flags: match[1], rest: pattern.slice(match[0].length) };
}

/** Whether a character is ASCII punctuation (which RE2 lets you escape). */
function isAsciiPunctuation(ch: string): boolean {
  return /^[!-\/:-@\[-`{-~]$/.test(ch);
}

/** The JavaScript form of an RE2 unicode class name (`Greek` -> `Script=Greek`). */
function unicodeClassName(name: string): string {
  return GENERAL_CATEGORIES.has(name) ? name : `Script=${name}`;
}

/** Single-pass scanner over an RE2 pattern. */
class PatternTranslator {
  private pos = 0;
  private inClass = false;
  private out = '';

  constructor(private readonly src: string) {}

  translate(): string {
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos];
      if (ch === '\\') this.escape();
      else if (this.inClass) this.classChar(ch);
      else this.plainChar(ch);
    }
    return this.out;
  }

  /** A character outside brackets. */
  private plainChar(ch: string): void {
    if (ch === '[') return this.openClass();
    if (ch === '(' && this.src.startsWith('(?P<', this.pos)) {
      this.emit('(?<', 4);
      return;
    }
    if (ch === '{') {
      const quantifier = /^\{\d+(,\d*)?\}/.exec(this.src.slice(this.pos));
      if (quantifier) this.emit(quantifier[0], quantifier[0].length);
      else this.emit('\\{', 1);
      return;
    }
    if (ch === '}' || ch === ']') {
      this.emit(`\\${ch}`, 1);
      return;
    }
    this.emit(ch, 1);
  }

  /** Opens a bracket expression; a `]` right after `[` or `[^` is literal in RE2. */
  private openClass(): void {
    this.inClass = true;
    const negated = this.src[this.pos + 1] === '^';
    this.emit(negated ? '[^' : '[', negated ? 2 : 1);
    if (this.src[this.pos] === ']') this.emit('\\]', 1);
  }

  /** A character inside brackets. */
  private classChar(ch: string): void {
    if (ch === ']') {
      this.inClass = false;
      this.emit(']', 1);
      return;
    }
    if (ch === '[' && this.src[this.pos + 1] === ':') {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.src.slice(this.pos));
      if (posix) {
        const ranges = POSIX_CLASSES[posix[2]];
        if (!ranges || posix[1]) throw new Error(`unsupported POSIX class ${posix[0]}`);
        this.emit(ranges, posix[0].length);
        return;
      }
    }
    this.emit(ch === '[' ? '\\[' : ch, 1);
  }

  /** A backslash escape (inside or outside brackets). */
  private escape(): void {
    const next = this.src[this.pos + 1];
    if (next === undefined) throw new Error(`trailing backslash in pattern ${this.src}`);
    if (next === 'p' || next === 'P') return this.unicodeClass(next === 'P');
    if (next === 'Q') return this.quoted();
    if (next === 'x' && this.src[this.pos + 2] === '{') {
      const hex = /^\\x\{([0-9A-Fa-f]+)\}/.exec(this.src.slice(this.pos));
      if (!hex) throw new Error(`bad \\x{...} escape in pattern ${this.src}`);
      this.emit(`\\u{${hex[1]}}`, hex[0].length);
      return;
    }
    if (!this.inClass && next === 'z') return this.emit('$', 2);
    if (!this.inClass && next === 'A') return this.emit('^', 2);
    if (isAsciiPunctuation(next) && !JS_SYNTAX_CHARS.has(next) && !(this.inClass && next === '-')) {
      this.emit(next, 2);
      return;
    }
    this.emit(`\\${next}`, 2);
  }

  /** `\pL`, `\PL`, `\p{Name}`, `\p{^Name}`. */
  private unicodeClass(negated: boolean): void {
    if (this.src[this.pos + 2] !== '{') {
      const letter = this.src[this.pos + 2];
      if (!letter || !/[A-Za-z]/.test(letter)) throw new Error(`bad unicode class in pattern ${this.src}`);
      this.emit(`\\${negated ? 'P' : 'p'}{${unicodeClassName(letter)}}`, 3);
      return;
    }
    const end = this.src.indexOf('}', this.pos);
    if (end < 0) throw new Error(`unterminated unicode class in pattern ${this.src}`);
    let name = this.src.slice(this.pos + 3, end);
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    this.emit(`\\${negated ? 'P' : 'p'}{${unicodeClassName(name)}}`, end + 1 - this.pos);
  }

  /** `\Q...\E`: everything in between is literal. */
  private quoted(): void {
    const start = this.pos + 2;
    const end = this.src.indexOf('\\E', start);
    const literal = this.src.slice(start, end < 0 ? undefined : end);
    const special = this.inClass ? /[\^$\\.*+?()[\]{}|\/-]/g : /[\^$\\.*+?()[\]{}|\/]/g;
    const escaped = literal.replace(special, (c) => `\\${c}`);
    this.emit(escaped, (end < 0 ? this.src.length : end + 2) - this.pos);
  }

  private emit(text: string, consumed: number): void {
    this.out += text;
    this.pos += consumed;
  }
}
