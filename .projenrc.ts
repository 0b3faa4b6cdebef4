import { cdk8s, javascript } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cozynet',
  packageName: 'cozynet',
  description: 'Typed constructs that synthesize and verify the networking layer of a bare-metal Kubernetes platform (Cilium, Kube-OVN, MetalLB, Multus, cozy-proxy).',
  author: 'cozynet authors',
  authorAddress: 'cozynet@example.com',
  repositoryUrl: 'https://example.com/cozynet.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  keywords: ['cdk8s', 'cilium', 'kube-ovn', 'metallb', 'multus', 'kubernetes', 'networking'],

  // cdk8s 2.x and constructs 10.x (projen 0.103 defaults to cdk8s 1.x).
  cdk8sVersion: '2.70.106',
  constructsVersion: '10.4.2',
  jsiiVersion: '~6.0.0',

  // `dist/` is where `cozynet synth` writes the platform by default; keep the
  // jsii package artifacts out of its way.
  artifactsDirectory: 'dist-pkg',

  // This repository is not released from GitHub; no workflows to maintain.
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  peerDeps: [
    // Workloads (DaemonSets, RBAC) are built with cdk8s-plus.
    'cdk8s-plus-28@^2.5.6',
    // Terraform target only (entry point `cozynet/lib/terraform`): never
    // loaded by the core library; optional peers (peerDependenciesMeta below).
    'cdktf@^0.21.0',
    '@cdktf/provider-helm@^12.1.2',
  ],
  bundledDeps: [
    // YAML parsing with line/column errors, and deterministic stringify.
    'yaml@^2.8.0',
    // JSON Schema validation of chart values, CRDs and the platform file.
    'ajv@^8.17.1',
    // CIDR / IP range math (IPv4 and IPv6, BigInt based).
    'ip-address@^10.0.1',
    // CLI argument parsing for the `cozynet` command.
    'commander@^12.1.0',
  ],
  devDeps: [
    // `cdk8s import` (typed CRD bindings) and `cdk8s synth` of the examples.
    'cdk8s-cli@^2.207.0',
    // Property-based tests of tenant isolation.
    'fast-check@^4.0.0',
    // Source of the Kubernetes object model used to generate the strict
    // Kubernetes JSON schemas in schemas/kubernetes (scripts/gen-k8s-schemas.ts).
    '@kubernetes/client-node@^2.0.1',
    // Mutation testing of the security-critical core (`npm run mutation`).
    // 9.x: Stryker 10 needs Node 22.
    '@stryker-mutator/core@~9.6.1',
    '@stryker-mutator/jest-runner@~9.6.1',
    // Runs TypeScript without a tsconfig: the README quick start and the
    // packaging test.
    'tsx@^4.20.0',
  ],

  bin: { cozynet: 'bin/cozynet' },

  jestOptions: {
    // jest 30 resolves modules with unrs-resolver (see the note on
    // eslint-import-resolver-typescript below); jest 29 does not.
    jestVersion: '^29',
    updateSnapshot: UpdateSnapshot.NEVER,
    coverageText: false,
    jestConfig: {
      testTimeout: 120_000,
      collectCoverage: false,
      testPathIgnorePatterns: ['/node_modules/', '/examples/'],
    },
  },
  tsconfig: {
    compilerOptions: {
      // jsii 6 sets `lib`; resolveJsonModule lets the CLI read its own package.json.
      resolveJsonModule: true,
    },
  },
  eslintOptions: {
    dirs: ['src'],
    ignorePatterns: ['src/imports/**', '*.js', '*.d.ts', 'node_modules/', 'lib/'],
  },
  gitignore: ['/dist/', '/.tmp/', '/bench/out/', 'examples/*/dist/', 'examples/*/node_modules/'],
});

// eslint-import-resolver-typescript 3.6 resolves with enhanced-resolve; 3.7+
// and 4.x need unrs-resolver, whose platform binaries this registry does not
// all serve, which leaves a package-lock that `npm ci` rejects.
project.deps.removeDependency('eslint-import-resolver-typescript');
project.addDevDeps('eslint-import-resolver-typescript@~3.6.3');
// ts-jest needs jest-util at the top level (an optional peer npm does not hoist by itself).
project.addDevDeps('jest-util@^29');

// Files shipped with the package: bundled CRDs and schemas read at run time.
// The Terraform target's packages are optional: without them everything but
// terraform/ is synthesized.
project.addFields({
  peerDependenciesMeta: {
    'cdktf': { optional: true },
    '@cdktf/provider-helm': { optional: true },
  },
  engines: { node: '>= 20.0.0' },
});
project.addFields({ files: ['lib', 'bin', 'crds', 'schemas', '.jsii', 'README.md', 'API.md', 'LICENSE'] });

// Precompiled chart values validators (lib/generated), for start-up time.
project.compileTask.exec('node scripts/gen-chart-validators.js');

// Typed bindings for the CRDs cozynet emits, generated from the copies in crds/.
const importTask = project.addTask('import', {
  description: 'Regenerate src/imports from crds/*.yaml with cdk8s import',
});
for (const group of ['cilium.io', 'metallb.io', 'kubeovn.io', 'k8s.cni.cncf.io', 'fluxcd.io', 'kilo.squat.ai']) {
  importTask.exec(`cdk8s import crds/${group}.yaml --language typescript --output src/imports --no-class-prefix --no-check-upgrade`);
}

project.addTask('schemas:k8s', {
  description: 'Regenerate the strict Kubernetes JSON schemas in schemas/kubernetes',
  exec: 'node scripts/gen-k8s-schemas.js',
});

project.addTask('schema', {
  description: 'Regenerate schemas/platform.schema.json from the compiled props (.jsii); run after compile',
  exec: 'node scripts/gen-platform-schema.js',
});

// Mutation testing of the security-critical core (StrykerJS, incremental;
// README "Mutation testing"): groups in test/mutation/groups.json, results
// reused from the committed test/mutation/incremental/*.json, every file >= 90 %.
project.addTask('mutation', {
  description: 'Mutation testing of the security-critical core (incremental; fails below 90 % per file)',
  exec: 'node scripts/mutation.js',
  receiveArgs: true,
});
project.gitignore.exclude('/reports/', '/.stryker-tmp/');

project.addTask('bench', {
  description: 'Synthesis and verification benchmark (writes bench/results.json)',
  exec: 'node --expose-gc bench/run.js',
});

project.synth();
