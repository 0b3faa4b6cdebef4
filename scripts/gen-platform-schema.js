#!/usr/bin/env node
// Generates schemas/platform.schema.json, the JSON Schema of the platform
// file, from the jsii assembly (.jsii) of the TypeScript props: the platform
// file is a serialized `PlatformProps`, so the schema is derived from it and
// cannot drift (test/platform-schema.test.ts compares the committed file with
// a fresh generation). Run after `npm run compile`:
//   node scripts/gen-platform-schema.js [--check]
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, 'schemas', 'platform.schema.json');
const ROOT_TYPE = 'cozynet.PlatformProps';

/** Props that are TypeScript-only (not part of the platform file). */
const TS_ONLY_KINDS = new Set(['class']);

function generate() {
  const asm = JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf8'));
  const lib = require(path.join(ROOT, 'lib'));
  const types = asm.types;
  const definitions = {};

  const describe = (docs = {}) => {
    const parts = [docs.summary, docs.remarks].filter(Boolean);
    if (docs.default !== undefined) parts.push(`Default: ${docs.default.replace(/^- /, '')}`);
    return parts.join('\n\n') || undefined;
  };

  const allProperties = (fqn) => {
    const t = types[fqn];
    const own = t.properties ?? [];
    const inherited = (t.interfaces ?? []).flatMap(allProperties);
    const names = new Set(own.map((p) => p.name));
    return [...inherited.filter((p) => !names.has(p.name)), ...own];
  };

  const enumSchema = (fqn) => {
    const t = types[fqn];
    const runtime = lib[t.name];
    return { type: 'string', enum: t.members.map((m) => (runtime ? runtime[m.name] : m.name)) };
  };

  /** Returns a schema for a jsii type reference, or undefined if TS-only. */
  const typeSchema = (ref) => {
    if (ref.primitive) {
      switch (ref.primitive) {
        case 'string': case 'date': return { type: 'string' };
        case 'number': return { type: 'number' };
        case 'boolean': return { type: 'boolean' };
        default: return {};
      }
    }
    if (ref.collection) {
      const items = typeSchema(ref.collection.elementtype);
      if (!items) return undefined;
      return ref.collection.kind === 'array'
        ? { type: 'array', items }
        : { type: 'object', additionalProperties: items };
    }
    if (ref.union) {
      const alts = ref.union.types.map(typeSchema).filter(Boolean);
      return alts.length ? { anyOf: alts } : undefined;
    }
    if (ref.fqn) {
      const t = types[ref.fqn];
      if (!t || TS_ONLY_KINDS.has(t.kind)) return undefined;
      if (t.kind === 'enum') return enumSchema(ref.fqn);
      defineInterface(ref.fqn);
      return { $ref: `#/definitions/${t.name}` };
    }
    return {};
  };

  // Constraints of values that become names, paths or cluster settings: the
  // same rules as the value checks of src/platform/checks.ts, so that editors
  // flag them too. `x-allowed` is the message cozynet prints when one fails.
  const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
  const label = (max, what) => () => ({
    pattern: DNS_LABEL,
    minLength: 1,
    maxLength: max,
    'x-allowed': `must be a DNS-1123 label of at most ${max} characters: lowercase letters, digits and "-", starting and ending with a letter or digit (${what})`,
  });
  const whole = (min, max, what) => () => ({ type: 'integer', minimum: min, maximum: max, 'x-allowed': `must be a whole number ${what} from ${min} to ${max}` });
  const OVERRIDES = {
    'cozynet.NetworkStackProps.variant': () => ({ enum: lib.Variant.names() }),
    'cozynet.ComponentOptions.releaseName': label(53, 'a Helm release name and a file name'),
    'cozynet.ComponentOptions.namespace': label(63, 'a Kubernetes namespace'),
    'cozynet.FluxOptions.namespace': label(63, 'a Kubernetes namespace'),
    'cozynet.FluxOptions.interval': () => ({
      pattern: '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$',
      maxLength: 64,
      'x-allowed': 'must be a duration such as 30s, 5m, 1h or 1h30m (units ms, s, m, h)',
    }),
    'cozynet.FluxOptions.retries': whole(0, 1000, 'of retries'),
    'cozynet.DeliveryProps.timeout': () => ({
      pattern: '^([0-9]+h)?([0-9]+m)?([0-9]+s)?$',
      minLength: 2,
      maxLength: 32,
      'x-allowed': 'must be a duration in whole hours, minutes and seconds, such as 10m, 90s or 1h30m (units h, m, s; Terraform takes whole seconds)',
    }),
    'cozynet.MultusProps.memoryLimitMiB': whole(128, 65536, 'of MiB'),
    'cozynet.KiloProps.wireguardPort': whole(1, 65535, '(a UDP port)'),
    'cozynet.HelmChartOverride.repository': () => ({
      pattern: '^(https?|oci)://[^\\s/@]+',
      maxLength: 2048,
      'x-allowed': 'must be an http(s):// Helm repository or an oci:// registry URL with a host (no credentials)',
    }),
    'cozynet.HelmChartOverride.name': () => ({
      pattern: '^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$',
      maxLength: 250,
      'x-allowed': 'must be a chart name: lowercase letters, digits, "-", "_" and "." (no "/" or "..")',
    }),
    'cozynet.HelmChartOverride.version': () => ({
      pattern: '^v?[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$',
      maxLength: 128,
      'x-allowed': 'must be a semantic version such as 1.19.5',
    }),
  };

  function defineInterface(fqn) {
    const t = types[fqn];
    if (definitions[t.name]) return;
    const def = { type: 'object', additionalProperties: false };
    definitions[t.name] = def;
    const description = describe(t.docs);
    if (description) def.description = description;
    const properties = {};
    const required = [];
    for (const p of allProperties(fqn).sort((a, b) => a.name.localeCompare(b.name))) {
      const s = typeSchema(p.type);
      if (!s) continue;
      const owner = types[fqn].properties?.some((x) => x.name === p.name) ? fqn : (t.interfaces ?? []).find((i) => allProperties(i).some((x) => x.name === p.name));
      const override = OVERRIDES[`${owner}.${p.name}`];
      const d = describe(p.docs);
      properties[p.name] = { ...(d ? { description: d } : {}), ...s, ...(override ? override() : {}) };
      if (!p.optional) required.push(p.name);
    }
    def.properties = properties;
    if (required.length) def.required = required;
  }

  defineInterface(ROOT_TYPE);
  const sorted = {};
  for (const k of Object.keys(definitions).sort()) sorted[k] = definitions[k];
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://cozynet.dev/schemas/platform.schema.json',
    title: 'cozynet platform file',
    description: 'The networking layer of a bare-metal Kubernetes platform: a serialized cozynet PlatformProps. Generated from the TypeScript props by scripts/gen-platform-schema.js.',
    $ref: `#/definitions/${types[ROOT_TYPE].name}`,
    definitions: sorted,
  };
}

const text = JSON.stringify(generate(), undefined, 2) + '\n';
if (process.argv.includes('--check')) {
  const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
  if (current !== text) {
    console.error('schemas/platform.schema.json is out of date: run `npm run schema` after `npm run compile`');
    process.exit(1);
  }
} else if (process.argv.includes('--stdout')) {
  process.stdout.write(text);
} else {
  fs.writeFileSync(OUT, text);
}
