// Issue 21: README "From an empty cluster" matches the plan view of the
// default platform step by step. To regenerate the block after a change of
// the layer: UPDATE_README=1 npx jest test/bootstrap/readme.test.ts
import * as fs from 'fs';
import * as path from 'path';
import { cli, ROOT } from '../safety/helpers';

const README = path.join(ROOT, 'README.md');
const START = '<!-- cozynet plan (default platform): generated, see test/bootstrap/readme.test.ts -->\n```text\n';
const END = '```\n<!-- end of cozynet plan -->';

test('README "From an empty cluster" shows the plan of the default platform as cozynet plan prints it', () => {
  const plan = cli(['plan']).out;
  const text = fs.readFileSync(README, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END, start);
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  if (process.env.UPDATE_README === '1') {
    fs.writeFileSync(README, text.slice(0, start + START.length) + plan + text.slice(end));
    return;
  }
  expect(text.slice(start + START.length, end)).toBe(plan);
  // the section names each step of the kubectl path in the plan's order
  const section = text.slice(text.indexOf('## From an empty cluster'), start);
  const steps = [...plan.matchAll(/^ +\d+\. (\S+) /gm)].map((m) => m[1]);
  expect(steps.length).toBeGreaterThan(0);
  for (const s of new Set(steps)) expect(section).toContain(`\`${s}\``);
  // and its numbered walk through the default platform is the kubectl path's steps, in order
  const kubectl = plan.slice(0, plan.indexOf('\nflux: '));
  const walk = [...section.matchAll(/^ ?\d+\. `([^`]+)`:/gm)].map((m) => m[1]);
  expect(walk).toEqual([...kubectl.matchAll(/^ +\d+\. (\S+) /gm)].map((m) => m[1]));
  // the waits it explains are in it: one delivery.timeout, Hubble's waits after kubeovn, cert-manager's place
  for (const words of ['delivery.timeout', 'kubectl rollout status', 'disableWait', '**after** `kubeovn`', '**before** `kubeovn-webhook`', 'preinstalled: true']) {
    expect(section).toContain(words);
  }
});
