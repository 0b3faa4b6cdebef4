'use strict';
// One `cozynet` command line in this fresh process (see bench/run.js), as
// bin/cozynet runs it: prints one JSON line with the exit code, the wall
// time since the process started (Node's start and module loading
// included), the CPU time and the peak RSS of the process.
const { performance } = require('perf_hooks');
const path = require('path');

const args = process.argv.slice(2);
const lib = process.env.BENCH_LIB ? path.resolve(process.env.BENCH_LIB) : path.join(__dirname, '..', 'lib');
const { runInterruptible } = require(path.join(lib, 'cli', 'main'));
let err = '';
runInterruptible(args, { out: () => undefined, err: (t) => { err += t; } }).then((code) => {
  const cpu = process.cpuUsage();
  console.log(JSON.stringify({
    code, ms: Math.round(performance.now()), cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    rssMiB: Math.round(process.resourceUsage().maxRSS / 1024), err: code === 0 ? undefined : err.slice(0, 2000),
  }));
});
