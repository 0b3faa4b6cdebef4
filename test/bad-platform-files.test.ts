import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../src/cli/main';

/**
 * A corpus of bad platform files: each names, in a first-line comment, the
 * field path its error must name (`# expect: …`) and optionally a fragment of
 * the message (`# message: …`). Each must fail with exit 1, name that path,
 * print no stack trace, and write nothing — not even over an earlier output.
 */
const DIR = path.join(__dirname, 'fixtures', 'bad');
const FILES = fs.readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

function header(text: string, key: string): string | undefined {
  return new RegExp(`^# ${key}: (.*)$`, 'm').exec(text)?.[1].trim();
}

test('the corpus has at least 30 files', () => {
  expect(FILES.length).toBeGreaterThanOrEqual(30);
});

describe.each(FILES)('%s', (file) => {
  const text = fs.readFileSync(path.join(DIR, file), 'utf8');
  const expectPath = header(text, 'expect')!;
  const message = header(text, 'message');

  test('fails naming the field, writes nothing, keeps the previous output', () => {
    expect(expectPath).toBeDefined();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-bad-'));
    const out = path.join(work, 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'previous.txt'), 'earlier run\n');
    let stdout = '';
    let stderr = '';
    const code = run(['synth', '--config', path.join(DIR, file), '--out', out], {
      out: (t) => { stdout += t; },
      err: (t) => { stderr += t; },
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.startsWith('error: ')).toBe(true);
    const lines = stderr.split('\n').map((l) => l.replace(/^(error: |\s+- )/, ''));
    const hit = lines.find((l) => l.startsWith(`${expectPath}`) && l.slice(expectPath.length).match(/^[:\s]/));
    expect({ stderr, hit: hit !== undefined }).toEqual({ stderr, hit: true });
    if (message) expect(hit).toContain(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(fs.readdirSync(work)).toEqual(['out']);
    expect(fs.readdirSync(out)).toEqual(['previous.txt']);
  });
});
