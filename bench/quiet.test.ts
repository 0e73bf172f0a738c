import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { busyMachineWarnings, isEverynodeLab, sampleMachine } from './quiet.js';

describe('bench: a busy machine is reported before the run', () => {
  it('recognizes an everynode lab however it was started', () => {
    const cases: [string[], boolean][] = [
      [['node', '/work/main/bin/everynode.js', 'up', '--nodes', '5000'], true],
      [['node', '/home/u/app/node_modules/.bin/everynode', 'up'], true],
      [['everynode', 'up', '--port', '0'], true],
      [['node', '/work/main/bin/everynode.js', 'bench', 'rollout'], false],
      [['node', '/work/main/bin/everynode.js', 'bench', 'probe', '--url', 'http://127.0.0.1:1'], false],
      [['node', 'server.js', 'up'], false],
      [['vim', 'everynode-notes.txt', 'up'], false],
    ];
    for (const [args, lab] of cases) assert.equal(isEverynodeLab(args), lab, args.join(' '));
  });

  it('warns about each other lab and about busy CPUs; says nothing on a quiet machine', () => {
    assert.deepEqual(busyMachineWarnings({ busyFraction: 0.05, cores: 2, otherLabs: [] }), []);
    const warnings = busyMachineWarnings({ busyFraction: 0.6, cores: 2, otherLabs: [{ pid: 42, command: 'node bin/everynode.js up --nodes 5000' }] });
    assert.equal(warnings.length, 2);
    assert.match(warnings[0]!, /another everynode lab is running \(pid 42: node bin\/everynode.js up --nodes 5000\).*stop it/);
    assert.match(warnings[1]!, /CPUs were 60% busy before the run \(2 cores\)/);
  });

  it('finds a running lab among the processes (Linux)', { skip: process.platform !== 'linux' }, async () => {
    // A stand-in whose arguments read like a lab's: node -e <sleep> everynode up
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)', 'everynode', 'up'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      const state = await sampleMachine(50);
      assert.ok(state.otherLabs.some((lab) => lab.pid === child.pid), JSON.stringify(state.otherLabs));
      assert.ok(state.busyFraction >= 0 && state.busyFraction <= 1);
      assert.ok(state.cores >= 1);
    } finally {
      child.kill();
    }
  });
});
