import { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { Platform, PlatformProps } from '../../src';

export interface Synthesized {
  files: Map<string, string>;
  index: any;
  /** Parsed documents by file path. */
  docs(path: string): any[];
  /** Every manifest object. */
  objects(): any[];
  values(release: string): any;
  flux(): any[];
}

export const API_SERVER = { host: '192.0.2.10', port: 6443 };

export function synth(props: PlatformProps = {}, options: { terraform?: boolean } = {}): Synthesized {
  const platform = new Platform(new Construct(undefined as any, ''), 'platform', {
    ...props,
    delivery: { ...props.delivery, terraform: options.terraform ?? props.delivery?.terraform ?? false },
  });
  const files = platform._renderFiles();
  // Parsed once per file (the Gateway API CRDs alone are a megabyte of YAML); callers get copies.
  const parsed = new Map<string, string>();
  const docs = (p: string) => {
    let json = parsed.get(p);
    if (json === undefined) {
      const text = files.get(p);
      if (text === undefined) throw new Error(`no file ${p}; have ${[...files.keys()].join(', ')}`);
      json = JSON.stringify(parseAllDocuments(text).map((d) => d.toJS()));
      parsed.set(p, json);
    }
    return JSON.parse(json) as any[];
  };
  const index = JSON.parse(files.get('index.json')!);
  return {
    files,
    index,
    docs,
    objects: () => (index.manifests as string[]).flatMap(docs),
    values: (release) => docs(`helm/${release}.values.yaml`)[0],
    flux: () => docs('flux/releases.yaml'),
  };
}

/** Props that make any variant synthesizable (generic ones need the API server). */
export function propsFor(variant: string): PlatformProps {
  return { variant, cluster: variant.endsWith('-generic') ? { apiServer: API_SERVER } : {} };
}

/** The message `synth(props)` fails with (fails the test when it is accepted); props may be ill-typed on purpose. */
export function synthRefusal(props: any): string {
  try {
    synth(props);
  } catch (e: any) {
    return e.message;
  }
  throw new Error('not refused');
}

/** The objects of kind `k` (and name `name`, when given). */
export function ofKind(objects: any[], k: string, name?: string): any[] {
  return objects.filter((o) => o?.kind === k && (name === undefined || o.metadata?.name === name));
}
