import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';

/** The project's copies of the upstream CRDs. @internal */
export const CRD_DIR = path.join(__dirname, '..', '..', 'crds');

/**
 * Adds the CustomResourceDefinitions of `crds/<file>` to `scope` (read
 * directly: cdk8s `Include` loads files through a child process).
 * @internal
 */
export function includeCrds(scope: Construct, file: string): ApiObject[] {
  const text = fs.readFileSync(path.join(CRD_DIR, file), 'utf8');
  return parseAllDocuments(text)
    .map((d) => d.toJS())
    .filter((o) => o && o.kind === 'CustomResourceDefinition')
    .map((o) => new ApiObject(scope, `crd-${o.metadata.name}`, o));
}
