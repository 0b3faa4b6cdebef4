// Mutation testing of the security-critical core (README, "Mutation testing").
// StrykerJS 9.6 with the jest runner (Stryker 10 needs Node 22).
//
// The core is tested in groups: each group mutates a few source files and
// runs only the test files that pin them down. With one big group, every
// mutant would load every test file that imports the mutated file (jest
// --findRelatedTests loads a file even when none of its tests cover the
// mutant), which made a run take hours on two cores.
//
// Pick a group with MUTATION_GROUP (default: all groups, one after another,
// is what `npm run mutation` does through scripts/mutation.js).
import { readFileSync } from 'node:fs';

const groups = JSON.parse(readFileSync(new URL('./test/mutation/groups.json', import.meta.url), 'utf8'));
const name = process.env.MUTATION_GROUP;
const group = groups[name];
if (!group) {
  throw new Error(`MUTATION_GROUP must be one of ${Object.keys(groups).join(', ')} (got ${JSON.stringify(name)}); run "npm run mutation"`);
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  // Tests are TypeScript run by ts-jest, transpile only (test/tsconfig.json
  // sets isolatedModules); no type checker: a mutant that does not compile
  // still fails its tests.
  checkers: [],
  coverageAnalysis: 'perTest',
  mutate: group.mutate,
  jest: {
    projectType: 'custom',
    config: {
      roots: ['<rootDir>/src', '<rootDir>/test'],
      testMatch: group.tests.map((t) => `<rootDir>/${t}`),
    },
    enableFindRelatedTests: true,
  },
  // Results of earlier runs are reused for mutants whose code and covering
  // tests did not change; the files are committed, so a fresh clone only
  // tests what changed since.
  incremental: true,
  incrementalFile: `test/mutation/incremental/${name}.json`,
  // Every core file must reach 90 % (scripts/mutation.js checks per file;
  // Stryker's own break threshold checks the group).
  thresholds: { high: 95, low: 90, break: 90 },
  // Two workers: two cores.
  concurrency: 2,
  // Added to 1.5 times a mutant's baseline test time: on a busy machine a slow
  // mutant is still not an endless loop, and each endless one costs only this.
  timeoutMS: 5000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  // Not needed by the tests: keep the sandbox copy small.
  ignorePatterns: [
    '/lib', '/dist', '/dist-pkg', '/bench/out', '/examples', '/coverage', '/test-reports', '/reports', '/.tmp', '/API.md', '/.stryker-tmp-*',
  ],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
