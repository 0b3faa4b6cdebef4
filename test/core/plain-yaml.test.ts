// The fast serializer of plain data (src/render/plain-yaml.ts) writes exactly
// what the `yaml` library writes, or gives up: compared on random data with
// hostile strings, keys and numbers (fixed seed), and on every object of the
// contract example's output.
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { parsePlainYamlStream, plainYaml } from '../../src/render/plain-yaml';

const SEED = 20261207;
const library = (d: unknown) => stringify(d, { lineWidth: 0, aliasDuplicateObjects: false });

/** Strings that are hard to write: indicators, numbers and booleans in disguise, quotes, markers. */
const hostileString = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: fc.constantFrom(...' \t\n:#-?&*!|>\'"%@`,[]{}.0123456789eEx+~aZ_/\\'.split('')), maxLength: 10 }),
  fc.constantFrom('', '~', 'null', 'Null', 'NULL', 'true', 'False', 'yes', 'no', 'on', 'y', '0', '-0', '1e3', '.5', '0x1F', '0o17', '.inf', '-.Inf',
    '.nan', '1_000', '12:30', '2026-12-07', '---', '--- a', '...', '%YAML', 'a: b', 'a #b', 'a:', ' a', 'a ', '- a', '-', '?', '? a', 'a\nb',
    "it's", 'say "hi"', '"\'', '\\', 'k8s:io.kubernetes.pod.namespace', '10.244.0.0/16', '*', '&a', '!tag', 'é', '\u2028', '\x00', 'x'.repeat(1001)),
);
const hostileNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 2 ** 53, 1e21, 0.1, 1.5e-7));
const scalar = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null), fc.constant(undefined));
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('tree'), { maxLength: 5 }),
  map: fc.dictionary(hostileString, tie('tree'), { maxKeys: 5 }),
}));

describe('plainYaml', () => {
  test('writes what the yaml library writes, or gives up (random data)', () => {
    let written = 0;
    fc.assert(fc.property(fc.oneof(fc.array(tree, { maxLength: 4 }), fc.dictionary(hostileString, tree, { maxKeys: 6 })), (doc) => {
      const fast = plainYaml(doc);
      if (fast !== undefined) {
        written++;
        expect(fast).toBe(library(doc));
      }
    }), { seed: SEED, numRuns: 3000 });
    expect(written).toBeGreaterThan(500); // the fast path is taken, not only the fallback
  });

  test('writes every object of the contract example as the yaml library does', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildPlatform } = require('../../src/platform/build');
    const props = parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'platforms', 'contract.yaml'), 'utf8'));
    const objects: any[] = buildPlatform(props)._outputObjects();
    let fast = 0;
    for (const o of objects) {
      const text = plainYaml(o);
      if (text !== undefined) fast++;
      expect(text ?? library(o)).toBe(library(o));
    }
    expect(fast).toBeGreaterThan(objects.length / 2);
  });

  test('gives up on what it does not know', () => {
    class Thing { a = 1; }
    const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays
    for (const d of [null, 'text', 5, [new Thing()], { d: new Date(0) }, { m: new Map() }, { f: 1.5 }, { n: NaN }, { z: -0 }, { s: 'a\nb' },
      { s: 'é' }, { s: '---' }, { [Symbol.iterator]: null, a: 1 }, [undefined], sparse, { f: () => 1 }, { ['k'.repeat(1001)]: 1 }]) {
      expect(plainYaml(d)).toBeUndefined();
    }
    let deep: any = {};
    for (let i = 0; i < 150; i++) deep = { a: deep };
    expect(plainYaml(deep)).toBeUndefined();
  });

  test('writes nesting, empty collections and skipped undefined values as the library does', () => {
    const d = { 'a': [[1, [2]], { b: [], c: {} }, [], {}], 'e': undefined, 'f': { g: [{ h: 'x', i: ['y'] }] }, 'j k': '"q"', '80': "it's" };
    expect(plainYaml(d)).toBe(library(d));
    expect(plainYaml({})).toBe('{}\n');
    expect(plainYaml([])).toBe('[]\n');
  });
});

describe('parsePlainYamlStream', () => {
  const libraryRead = (text: string) => parseAllDocuments(text).map((d) => d.toJS());

  test('reads what plainYaml writes as the yaml library reads it (random documents)', () => {
    let read = 0;
    const doc = fc.oneof(fc.array(tree, { maxLength: 4 }), fc.dictionary(hostileString, tree, { maxKeys: 6 }));
    fc.assert(fc.property(fc.array(doc, { minLength: 1, maxLength: 4 }), (docs) => {
      const texts = docs.map((d) => plainYaml(d));
      if (texts.some((t) => t === undefined)) return;
      const text = texts.join('---\n');
      const fast = parsePlainYamlStream(text);
      if (fast !== undefined) read++;
      expect(fast ?? libraryRead(text)).toEqual(libraryRead(text));
    }), { seed: SEED, numRuns: 2000 });
    expect(read).toBeGreaterThan(100);
  });

  test('reads other texts as the library does, or gives up (mutated documents)', () => {
    const inserted = fc.constantFrom('', ' ', '  ', '\n', ':', ': ', '- ', '#', '---\n', '"', "'", '{}', '[]', '~', '\t', '\r', 'x', '1', '-');
    const edit = fc.tuple(fc.nat(), inserted, fc.nat({ max: 3 }));
    const maps = fc.dictionary(hostileString, tree, { minKeys: 1, maxKeys: 6 });
    let read = 0;
    fc.assert(fc.property(maps, fc.array(edit, { minLength: 1, maxLength: 3 }), (doc, edits) => {
      let text: string | undefined = plainYaml(doc);
      if (text === undefined) return;
      for (const [at, insert, remove] of edits) {
        const i: number = at % (text.length + 1);
        text = text.slice(0, i) + insert + text.slice(i + remove);
      }
      let expected: unknown;
      try {
        const docs = parseAllDocuments(text);
        if (docs.some((d) => d.errors.length > 0)) expected = 'error';
        else expected = docs.map((d) => d.toJS());
      } catch {
        expected = 'error';
      }
      const fast = parsePlainYamlStream(text);
      if (fast !== undefined) {
        read++;
        expect(fast).toEqual(expected);
      }
    }), { seed: SEED, numRuns: 3000 });
    expect(read).toBeGreaterThan(50);
  });

  test('gives up on texts it does not write', () => {
    for (const t of ['', 'a: 1', '---\na: 1\n', 'a: 1 # c\n', 'a: 1\r\n', '"x"\n', 'a:\n- 1\n', 'a: 1.5\n', 'a: ~\n', '__proto__: 1\n', 'a: 1\na: 2\n',
      'a: "\\x41"\n', 'a: !!str 1\n', 'a: &x 1\nb: *x\n', 'a: |\n  x\n', 'a: [1]\n', 'a: {b: 1}\n', `a: ${'x'.repeat(1024 * 1024)}\n`]) {
      expect(parsePlainYamlStream(t)).toBeUndefined();
    }
    expect(parsePlainYamlStream('a: 1\n---\n- b\n- "true"\n')).toEqual([{ a: 1 }, ['b', 'true']]);
  });
});
