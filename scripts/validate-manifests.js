#!/usr/bin/env node
// Validates every object of the given manifest files (or of the *.yaml files
// of the given folders) strictly against its Kubernetes or CRD schema, with
// the validator the library uses itself (lib/validation/object-validator.js,
// so run `npm run compile` first).
//
//   node scripts/validate-manifests.js FILE_OR_DIR...
//
// Prints one problem per line on stderr and exits 1 when a file does not
// parse, a document is not a Kubernetes object, or an object does not match
// its schema (unknown fields included). On success prints one line per
// argument, `<arg>: <n> files, <m> objects`, on stdout and exits 0. Several
// folders in one run share the compiled schemas (much faster than one run each).
'use strict';

const fs = require('fs');
const path = require('path');
const { parseAllDocuments } = require('yaml');

function load(what) {
  try {
    return require(what);
  } catch (e) {
    console.error(`validate-manifests: cannot load ${what} (${e.message.split('\n')[0]}); run \`npm run compile\` first`);
    process.exit(2);
  }
}

const { validateObjects } = load(path.join(__dirname, '..', 'lib', 'validation', 'object-validator.js'));

function manifestFiles(arg) {
  let stat;
  try {
    stat = fs.statSync(arg);
  } catch {
    throw new Error(`${arg}: no such file or folder`);
  }
  if (!stat.isDirectory()) return [arg];
  return fs.readdirSync(arg).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(arg, f));
}

/** Parses and validates one file; returns its object count and pushes its problems. */
function validateFile(file, problems) {
  let objectCount = 0;
  const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
  const list = Array.isArray(docs) ? docs : [docs]; // an empty file yields an empty list
  list.forEach((doc, i) => {
    for (const err of doc.errors) problems.push(`${file}: document ${i + 1}: YAML: ${err.message.split('\n')[0]}`);
    if (doc.errors.length > 0) return;
    const obj = doc.toJS();
    if (obj === null || obj === undefined) return; // an empty document
    if (typeof obj !== 'object' || Array.isArray(obj)) {
      problems.push(`${file}: document ${i + 1}: is not a Kubernetes object`);
      return;
    }
    objectCount++;
    for (const p of validateObjects([obj])) problems.push(`${file}: ${p}`);
  });
  return objectCount;
}

function main(args) {
  if (args.length === 0) {
    console.error('usage: node scripts/validate-manifests.js FILE_OR_DIR...');
    return 2;
  }
  const problems = [];
  const lines = [];
  let fileCount = 0;
  for (const arg of args) {
    let files;
    try {
      files = manifestFiles(arg);
    } catch (e) {
      console.error(`validate-manifests: ${e.message}`);
      return 2;
    }
    if (files.length === 0) problems.push(`${arg}: no .yaml files`);
    let objects = 0;
    for (const file of files) objects += validateFile(file, problems);
    fileCount += files.length;
    lines.push(`${arg}: ${files.length} files, ${objects} objects`);
  }

  if (problems.length > 0) {
    for (const p of problems) console.error(p);
    console.error(`validate-manifests: ${problems.length} problem(s) in ${fileCount} file(s)`);
    return 1;
  }
  for (const line of lines) console.log(line);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
