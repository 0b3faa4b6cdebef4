import {
  checkBoolean, checkDns1035Label, checkDnsLabel, checkDnsSubdomain, checkInteger, checkInterfaceName, checkKeys, checkLabels,
  checkList, checkUnique, checkVlanId, isLabelKey, isLabelValue, isObject, keyPath,
} from '../../../src/model/address-plan';
import { IssueCollector, ValidationIssue } from '../../../src/model/errors';

/** Runs a check against a fresh collector at `spec`; returns its result and the issues. */
function run<T>(fn: (issues: IssueCollector) => T): { result: T; issues: ValidationIssue[] } {
  const issues = new IssueCollector('spec');
  const result = fn(issues);
  return { result, issues: issues.issues };
}

const a63 = 'a'.repeat(63);
const a64 = 'a'.repeat(64);

describe('field checks of the networking constructs', () => {
  test('isObject: plain objects only', () => {
    expect(isObject({})).toBe(true);
    expect(isObject({ a: 1 })).toBe(true);
    for (const v of [null, undefined, [], [1], 'x', 1, true]) expect(isObject(v)).toBe(false);
  });

  test('checkKeys reports each unknown key with the allowed ones; undefined values and non-objects pass', () => {
    expect(run((i) => checkKeys(i, { name: 'x', nmae: 'y', other: 1, gone: undefined }, ['name', 'namespace'])).issues).toEqual([
      { path: 'spec.nmae', value: '"y"', message: 'unknown key "nmae"; allowed keys: name, namespace' },
      { path: 'spec.other', value: '1', message: 'unknown key "other"; allowed keys: name, namespace' },
    ]);
    expect(run((i) => checkKeys(i, 'text', ['name'])).issues).toEqual([]);
    expect(run((i) => checkKeys(i, [1, 2], ['name'])).issues).toEqual([]);
  });

  test('checkDnsLabel: required, pattern, length 63 by default and a custom maximum', () => {
    const ok = (v: unknown, max?: number) => run((i) => checkDnsLabel(i, 'name', v, 'the name', max));
    for (const v of ['a', 'a1', '1a', 'a-b', a63, '0']) expect(ok(v)).toEqual({ result: true, issues: [] });
    for (const v of [undefined, '', 1]) {
      expect(ok(v)).toEqual({
        result: false,
        issues: [{
          path: 'spec.name',
          value: v === undefined ? 'undefined' : JSON.stringify(v),
          message: "the name is required: a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters)",
        }],
      });
    }
    for (const v of ['A', '-a', 'a-', 'a_b', 'a.b', a64, ' a', 'a ']) {
      expect(ok(v)).toEqual({
        result: false,
        issues: [{
          path: 'spec.name',
          value: JSON.stringify(v),
          message: "the name must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters",
        }],
      });
    }
    expect(ok('abcde', 5).result).toBe(true);
    expect(ok('abcdef', 5).issues[0].message).toMatch(/at most 5 characters$/);
    expect(ok(undefined, 5).issues[0].message).toMatch(/at most 5 characters\)$/);
  });

  test('checkDnsSubdomain: dotted labels up to 253 characters', () => {
    const msg = "the peer must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters";
    for (const v of ['a', 'a.b', 'a-1.b-2.c', `${a63}.${a63}.${a63}.${'a'.repeat(61)}`]) {
      expect(run((i) => checkDnsSubdomain(i, 'peer', v, 'the peer'))).toEqual({ result: true, issues: [] });
    }
    for (const v of [undefined, '', 'A', 'a..b', '.a', 'a.', '-a.b', 'a_b', `${a63}.${a63}.${a63}.${'a'.repeat(62)}`]) {
      expect(run((i) => checkDnsSubdomain(i, 'peer', v, 'the peer'))).toEqual({ result: false, issues: [{ path: 'spec.peer', value: expect.any(String), message: msg }] });
    }
  });

  test('checkDns1035Label: starts with a letter, at most 63', () => {
    const msg = "the service name must be a DNS-1035 label: lowercase letters, digits and '-', starting with a letter, ending with a letter or digit, at most 63 characters";
    for (const v of ['a', 'a1', 'a-b', a63]) expect(run((i) => checkDns1035Label(i, 'name', v, 'the service name'))).toEqual({ result: true, issues: [] });
    for (const v of [undefined, '', '1a', 'a-', '-a', 'A', a64, 'a.b']) {
      expect(run((i) => checkDns1035Label(i, 'name', v, 'the service name'))).toEqual({ result: false, issues: [{ path: 'spec.name', value: v === undefined ? 'undefined' : JSON.stringify(v), message: msg }] });
    }
  });

  test('checkInterfaceName: Linux rules, 1-15 characters', () => {
    const msg = (what: string) => `must be ${what}: a Linux interface name of 1-15 characters without '/', ':' or whitespace, e.g. eth1 or eth1.100`;
    for (const v of ['eth1', 'eth1.100', 'e', 'a'.repeat(15), 'bond0-x_y', '...']) expect(run((i) => checkInterfaceName(i, 'if', v))).toEqual({ result: true, issues: [] });
    for (const v of [undefined, 7, '', 'a'.repeat(16), 'eth/1', 'eth:1', 'eth 1', 'eth\t1', '.', '..']) {
      expect(run((i) => checkInterfaceName(i, 'if', v))).toEqual({ result: false, issues: [{ path: 'spec.if', value: v === undefined ? 'undefined' : JSON.stringify(v), message: msg('an interface name') }] });
    }
    expect(run((i) => checkInterfaceName(i, 'if', '', 'the master interface')).issues[0].message).toBe(msg('the master interface'));
  });

  test('checkVlanId and checkInteger: integers within both edges', () => {
    for (const v of [1, 2, 4093, 4094]) expect(run((i) => checkVlanId(i, 'vlan', v))).toEqual({ result: true, issues: [] });
    for (const v of [0, 4095, -1, 1.5, '5', undefined, NaN]) {
      expect(run((i) => checkVlanId(i, 'vlan', v))).toEqual({ result: false, issues: [{ path: 'spec.vlan', value: expect.any(String), message: 'must be a VLAN ID: an integer 1-4094' }] });
    }
    for (const v of [10, 11, 19, 20]) expect(run((i) => checkInteger(i, 'n', v, 10, 20, 'a number'))).toEqual({ result: true, issues: [] });
    for (const v of [9, 21, 10.5, '10', undefined]) {
      expect(run((i) => checkInteger(i, 'n', v, 10, 20, 'a number'))).toEqual({ result: false, issues: [{ path: 'spec.n', value: expect.any(String), message: 'must be a number: an integer 10-20' }] });
    }
  });

  test('checkBoolean: absent or a boolean', () => {
    expect(run((i) => checkBoolean(i, 'on', undefined)).issues).toEqual([]);
    expect(run((i) => checkBoolean(i, 'on', false)).issues).toEqual([]);
    expect(run((i) => checkBoolean(i, 'on', 'true')).issues).toEqual([{ path: 'spec.on', value: '"true"', message: 'must be true or false' }]);
  });

  test('checkList: absent is empty, non-lists and empty strings are reported per index, a checker sees each element', () => {
    expect(run((i) => checkList(i, 'names', undefined, 'names'))).toEqual({ result: [], issues: [] });
    expect(run((i) => checkList(i, 'names', 'a', 'names'))).toEqual({ result: [], issues: [{ path: 'spec.names', value: '"a"', message: 'must be a list of names' }] });
    expect(run((i) => checkList(i, 'names', ['a', '', 3, 'b'], 'names'))).toEqual({
      result: ['a', 'b'],
      issues: [
        { path: 'spec.names[1]', value: '""', message: 'must be name: a non-empty string' },
        { path: 'spec.names[2]', value: '3', message: 'must be name: a non-empty string' },
      ],
    });
    const seen: Array<[string, unknown, number]> = [];
    const r = run((i) => checkList(i, 'ports', [80, 'x', 443], 'ports', (item, v, index) => {
      seen.push([item.path(), v, index]);
      if (typeof v !== 'number') {
        item.add(undefined, v, 'must be a number');
        return undefined;
      }
      return v * 2;
    }));
    expect(r).toEqual({ result: [160, 886], issues: [{ path: 'spec.ports[1]', value: '"x"', message: 'must be a number' }] });
    // The element noun is the list noun without its final "s".
    expect(run((i) => checkList(i, 'hosts', [''], 'host names')).issues[0].message).toBe('must be host name: a non-empty string');
    expect(seen).toEqual([['spec.ports[0]', 80, 0], ['spec.ports[1]', 'x', 1], ['spec.ports[2]', 443, 2]]);
  });

  test('checkUnique names the first occurrence of each duplicate', () => {
    expect(run((i) => checkUnique(i, 'names', ['a', 'b', 'a', 3, 3, 'b', 'a'], 'name')).issues).toEqual([
      { path: 'spec.names[2]', value: '"a"', message: 'duplicate name: already listed at names[0]' },
      { path: 'spec.names[5]', value: '"b"', message: 'duplicate name: already listed at names[1]' },
      { path: 'spec.names[6]', value: '"a"', message: 'duplicate name: already listed at names[0]' },
    ]);
  });

  test('label keys: optional DNS prefix, a name of 1-63 characters', () => {
    for (const k of ['app', 'a', 'A', 'app.kubernetes.io/name', 'example.com/Name_1.x', `example.com/${a63}`, 'a/b', '9', 'a-b_c.d', 'x.y/z', 'a.b-c.d/e']) {
      expect([k, isLabelKey(k)]).toEqual([k, true]);
    }
    for (const k of ['', '/a', 'a/', `example.com/${a64}`, a64, 'Example.com/a', '-a', 'a-', '_a', 'a/b/c', 'ex_ample.com/a', '.a', 'a.', 'a b',
      `${'a'.repeat(254)}/a`, 'exa..mple/a']) {
      expect([k, isLabelKey(k)]).toEqual([k, false]);
    }
    expect(isLabelKey(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}/x`)).toBe(true); // 253-character prefix
  });

  test('label values: empty, or 1-63 characters starting and ending alphanumeric', () => {
    for (const v of ['', 'a', 'true', 'A-b_c.9', a63]) expect([v, isLabelValue(v)]).toEqual([v, true]);
    for (const v of [a64, '-a', 'a-', 'a b', 'a/b', 1, undefined, null, true]) expect([v, isLabelValue(v)]).toEqual([v, false]);
  });

  test('checkLabels: a key-sorted copy of the valid labels; each bad key or value reported at its own path', () => {
    expect(run((i) => checkLabels(i, 'selector', undefined))).toEqual({ result: undefined, issues: [] });
    expect(run((i) => checkLabels(i, 'selector', undefined, true))).toEqual({
      result: undefined,
      issues: [
        { path: 'spec.selector', value: 'undefined', message: 'is required: a map of label keys to values' },
      ],
    });
    expect(run((i) => checkLabels(i, 'selector', ['a']))).toEqual({
      result: undefined,
      issues: [
        { path: 'spec.selector', value: '["a"]', message: 'must be a map of label keys to values' },
      ],
    });
    expect(run((i) => checkLabels(i, 'selector', {}, true)).issues).toEqual([
      { path: 'spec.selector', value: '{}', message: 'must contain at least one label' },
    ]);
    expect(run((i) => checkLabels(i, 'selector', {}))).toEqual({ result: {}, issues: [] });
    expect(run((i) => checkLabels(i, 'selector', { app: 'web' }, true))).toEqual({ result: { app: 'web' }, issues: [] });
    const r = run((i) => checkLabels(i, 'selector', { 'z': '1', 'app.kubernetes.io/name': 'web', 'bad key': 'x', 'tier': '-x', 'a': '' }));
    expect(r.issues).toEqual([
      { path: 'spec.selector["bad key"]', value: '"bad key"', message: 'is not a valid label key: an optional DNS prefix and "/", then 1-63 letters, digits, "-", "_" or "."' },
      { path: 'spec.selector.tier', value: '"-x"', message: 'must be a label value: a string of at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit' },
    ]);
    expect(r.result).toEqual({ 'a': '', 'app.kubernetes.io/name': 'web', 'z': '1' });
    expect(Object.keys(r.result!)).toEqual(['a', 'app.kubernetes.io/name', 'z']);
  });

  test('keyPath: dotted for identifiers, quoted otherwise', () => {
    expect(keyPath('spec', 'app')).toBe('spec.app');
    expect(keyPath('spec', '_a9')).toBe('spec._a9');
    expect(keyPath('spec', 'app.kubernetes.io/name')).toBe('spec["app.kubernetes.io/name"]');
    expect(keyPath('spec', '9a')).toBe('spec["9a"]');
    expect(keyPath('spec', 'a-b')).toBe('spec["a-b"]');
    expect(keyPath('spec', 'ab ')).toBe('spec["ab "]');
    expect(keyPath('spec', ' ab')).toBe('spec[" ab"]');
  });
});
