/** Input errors name the field, the bad value and what is allowed. */
import { CA_BUNDLE, caPem, docsOf, issuesOf, one } from './helpers';

const NOT_CERTS = 'must be the base64-encoded PEM of the CA that signed the Secret kube-ovn-webhook-tls, but it holds no PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)';
/** The message for a bundle whose certificate n of m does not parse (OpenSSL's reason varies by version). */
const unreadable = (n: number, m: number) => new RegExp(`^must be the base64-encoded PEM of the CA that signed the Secret kube-ovn-webhook-tls, but certificate ${n} of ${m} is not readable X\\.509 \\(.+\\)$`);
const CA_REQUIRED = 'is required with certManager: false: the base64-encoded PEM of the CA that signed the Secret kube-ovn-webhook-tls';

describe('kube-ovn-webhook input errors name the field', () => {
  test('certManager must be a boolean', () => {
    expect(issuesOf(() => docsOf({ certManager: 'false' as any }))).toEqual([
      { path: 'certManager', value: '"false"', message: 'must be true or false' },
    ]);
    expect(issuesOf(() => docsOf({ certManager: 0 as any }))).toEqual([
      { path: 'certManager', value: '0', message: 'must be true or false' },
    ]);
  });

  test('caBundle is not allowed with cert-manager (explicit or default)', () => {
    const expected = [{ path: 'caBundle', value: '"QUJD"', message: 'is injected by cert-manager; give it only with certManager: false' }];
    expect(issuesOf(() => docsOf({ caBundle: 'QUJD' }))).toEqual(expected);
    expect(issuesOf(() => docsOf({ certManager: true, caBundle: 'QUJD' }))).toEqual(expected);
    // a real certificate too (the value is shown cut short)
    expect(issuesOf(() => docsOf({ caBundle: CA_BUNDLE }))).toEqual([{ ...expected[0], value: `"${CA_BUNDLE.slice(0, 100)}"… (${CA_BUNDLE.length} characters)` }]);
    expect(issuesOf(() => docsOf({ certManager: true, caBundle: '' }))).toEqual([{ ...expected[0], value: '""' }]);
  });

  test('caBundle is required without cert-manager', () => {
    expect(issuesOf(() => docsOf({ certManager: false }))).toEqual([{ path: 'caBundle', value: 'undefined', message: CA_REQUIRED }]);
    expect(issuesOf(() => docsOf({ certManager: false, caBundle: 42 as any }))).toEqual([{ path: 'caBundle', value: '42', message: CA_REQUIRED }]);
  });

  test('caBundle must be base64', () => {
    // Padded base64 only: the API server refuses a length that is not a multiple of 4 at apply time.
    // Each bad character or padding is in a value of a valid length, so that it alone is what is refused.
    for (const bad of ['', '-----BEGIN CERTIFICATE-----', '!QUJ', 'QUJ!', 'QU J', 'Q===', 'QUJDR===', '=QUJ', 'QUJ\n', 'QUJ', 'QUJDRA=', 'QUJDR']) {
      expect([bad, issuesOf(() => docsOf({ certManager: false, caBundle: bad }))]).toEqual([bad, [{ path: 'caBundle', value: JSON.stringify(bad), message: CA_REQUIRED }]]);
    }
    // Every base64 character and up to two padding characters pass the syntax check (then they must be certificates).
    for (const syntax of ['AZaz09+/', 'QUJDRA==', 'QUJDREU=']) {
      expect([syntax, issuesOf(() => docsOf({ certManager: false, caBundle: syntax }))]).toEqual([syntax, [{ path: 'caBundle', value: JSON.stringify(syntax), message: NOT_CERTS }]]);
    }
    expect(one(docsOf({ certManager: false, caBundle: CA_BUNDLE }), 'MutatingWebhookConfiguration').webhooks[0].clientConfig.caBundle).toBe(CA_BUNDLE);
  });

  test('caBundle must hold readable PEM certificates: a wrong CA would stop every tenant pod from being created', () => {
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    const [ca1, ca2] = [caPem(1), caPem(2)];
    const body = (pem: string) => pem.slice(pem.indexOf('-----BEGIN'));
    // a bundle of two CAs, with text around them, and a bare certificate are accepted
    for (const good of [b64(ca1 + ca2), b64(body(ca2)), b64(body(ca1).replace(/\n/g, '\r\n'))]) {
      expect(one(docsOf({ certManager: false, caBundle: good }), 'MutatingWebhookConfiguration').webhooks[0].clientConfig.caBundle).toBe(good);
    }
    const bad: Array<[string, string | RegExp]> = [
      [b64('-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n'), unreadable(1, 1)], // no body
      [b64(body(ca1).replace('-----END CERTIFICATE-----', '')), NOT_CERTS], // unterminated
      [b64(body(ca1).replace('CERTIFICATE', 'PRIVATE KEY')), NOT_CERTS], // not a certificate block
      [Buffer.from(b64(body(ca1))).toString('base64'), NOT_CERTS], // encoded twice
      [b64('-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n'), unreadable(1, 1)], // not DER
      [b64(body(ca1).replace(/MII/, 'MIJ')), unreadable(1, 1)], // a corrupted certificate
      [b64(ca1 + ca2 + '-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n'), unreadable(3, 3)], // two good, one broken
    ];
    for (const [value, message] of bad) {
      const issues = issuesOf(() => docsOf({ certManager: false, caBundle: value }));
      expect([value.slice(0, 40), issues.map((i) => i.path)]).toEqual([value.slice(0, 40), ['caBundle']]);
      expect(issues[0].message).toMatch(typeof message === 'string' ? new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : message);
    }
  });

  test('replicas must be a whole number of at least 1', () => {
    for (const [bad, shown] of [[0, '0'], [-1, '-1'], [1.5, '1.5'], ['2', '"2"'], [NaN, 'NaN'], [Infinity, 'Infinity']] as const) {
      expect(issuesOf(() => docsOf({ replicas: bad as any }))).toEqual([
        { path: 'replicas', value: shown, message: 'must be a whole number of at least 1' },
      ]);
    }
  });

  test('image must be a non-empty string', () => {
    expect(issuesOf(() => docsOf({ image: '' }))).toEqual([{ path: 'image', value: '""', message: 'must be an image reference' }]);
    expect(issuesOf(() => docsOf({ image: 7 as any }))).toEqual([{ path: 'image', value: '7', message: 'must be an image reference' }]);
  });

  test('the first error wins: certManager before caBundle before replicas before image', () => {
    expect(issuesOf(() => docsOf({ certManager: 1 as any, caBundle: '!', replicas: 0, image: '' })).map((i) => i.path)).toEqual(['certManager']);
    expect(issuesOf(() => docsOf({ certManager: false, caBundle: '!', replicas: 0, image: '' })).map((i) => i.path)).toEqual(['caBundle']);
    expect(issuesOf(() => docsOf({ replicas: 0, image: '' })).map((i) => i.path)).toEqual(['replicas']);
  });
});
