import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { CozynetValidationError } from '../model/errors';
import { validateObjects } from '../validation/object-validator';

/** Kubernetes objects of a file (YAML multi-document or JSON). */
function objectsOf(file: string): any[] {
  const text = fs.readFileSync(file, 'utf8');
  const docs = parseAllDocuments(text);
  const out: any[] = [];
  for (const d of docs) {
    if (d.errors.length > 0) {
      throw new CozynetValidationError([{ path: file, value: '', message: `YAML syntax error: ${d.errors[0].message.split('\n')[0]}` }]);
    }
    const v = d.toJS();
    if (v && typeof v === 'object' && 'apiVersion' in v && 'kind' in v) out.push(v);
  }
  return out;
}

function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ya?ml)$/.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * The files of a folder that hold Kubernetes objects: those `index.json`
 * lists (manifests and Flux) for a cozynet output folder, otherwise every
 * YAML file below it (e.g. the `dist/` of `cdk8s synth`).
 * @internal
 */
export function objectFilesOf(dir: string): string[] {
  const index = path.join(dir, 'index.json');
  if (fs.existsSync(index)) {
    const i = JSON.parse(fs.readFileSync(index, 'utf8'));
    return [...(i.manifests ?? []), ...(i.flux ?? [])].map((f: string) => path.join(dir, f));
  }
  return yamlFilesUnder(dir);
}

/**
 * Strictly validates every object of an output folder. Returns problem
 * lines (empty when valid) and counts.
 * @internal
 */
export function validateFolder(dir: string): { problems: string[]; files: number; objects: number } {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new CozynetValidationError([{ path: 'DIR', value: CozynetValidationError.show(dir), message: 'is not a folder' }]);
  }
  const files = objectFilesOf(dir);
  const problems: string[] = [];
  let objects = 0;
  for (const f of files) {
    const objs = objectsOf(f);
    objects += objs.length;
    for (const p of validateObjects(objs)) problems.push(`${path.relative(dir, f)}: ${p}`);
  }
  return { problems, files: files.length, objects };
}
