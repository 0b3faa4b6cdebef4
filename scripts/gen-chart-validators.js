#!/usr/bin/env node
// Writes lib/generated/<chart>@<version>.chart.json (known value keys and
// default values) and lib/generated/<chart>@<version>.validate.js (the
// chart's values schema as standalone ajv code) so that the packaged library
// does not parse the charts' default values or compile their schemas at run
// time; and lib/generated/gateway-api-crds.json, the Gateway API CRD bundle
// (crds/gateway.networking.k8s.io.yaml) split into documents, so that synth
// does not parse a megabyte of YAML; and lib/generated/platform.validate.js,
// the platform-file schema as standalone ajv code (compiling it took ~0.3 s
// of every CLI run). Runs after the jsii compile (projen
// compile task); the sources stay schemas/helm/* and crds/*.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const { CHART_REFERENCES, _chartArtifacts } = require(path.join(root, 'lib', 'helm', 'chart-schemas.js'));
const { _buildGatewayApiBundle } = require(path.join(root, 'lib', 'constructs', 'gateway-api-crds.js'));
const out = path.join(root, 'lib', 'generated');
// Start from an empty folder: an artifact of a chart version no longer
// referenced must not linger.
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
for (const chart of Object.keys(CHART_REFERENCES).sort()) {
  const { data, validator } = _chartArtifacts(chart);
  fs.writeFileSync(path.join(out, `${chart}.chart.json`), data + '\n');
  if (validator) fs.writeFileSync(path.join(out, `${chart}.validate.js`), validator);
}
// The platform-file validator (schemas/platform.schema.json).
const { _platformValidatorSource } = require(path.join(root, 'lib', 'platform', 'file.js'));
fs.writeFileSync(path.join(out, 'platform.validate.js'), _platformValidatorSource());
fs.writeFileSync(path.join(out, 'gateway-api-crds.json'), JSON.stringify(_buildGatewayApiBundle()) + '\n');
