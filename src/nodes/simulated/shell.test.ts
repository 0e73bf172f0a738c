import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arithmetic, dateText, expandKubernetesReferences, shellProgram } from './shell.js';
import { linesIn } from './logs.js';

const start = Date.parse('2026-11-24T19:23:07Z');
const context = { env: { GREETING: 'hi there', N: '5' }, hostname: 'counter' };

/** What the command prints in its first `seconds`, as "offset-ms text". */
function printed(argv: string[], seconds: number): string[] | undefined {
  const run = shellProgram(argv, context)?.run(start);
  return run && linesIn(run, -Infinity, start + seconds * 1000).map((l) => `${l.time - start} ${l.text}`);
}

describe('shellProgram()', () => {
  const cases: { name: string; argv: string[]; seconds?: number; want: string[] | undefined }[] = [
    {
      name: 'the counter from the Kubernetes logging docs',
      argv: ['/bin/sh', '-c', 'i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done'],
      seconds: 3,
      want: ['1 0: Tue Nov 24 19:23:07 UTC 2026', '1004 1: Tue Nov 24 19:23:08 UTC 2026', '2007 2: Tue Nov 24 19:23:09 UTC 2026'],
    },
    { name: 'an echo loop, at its pace', argv: ['sh', '-c', 'while true; do echo hello; sleep 5; done'], seconds: 11, want: ['0 hello', '5002 hello', '10004 hello'] },
    { name: 'while : and a newline-separated body', argv: ['sh', '-c', 'while :\ndo\n  echo tick\n  sleep 2\ndone'], seconds: 3, want: ['0 tick', '2002 tick'] },
    { name: 'exec form echo: no shell, no expansion', argv: ['echo', 'X', '$HOME'], want: ['0 X $HOME'] },
    { name: 'sleep prints nothing', argv: ['sleep', '3600'], want: [] },
    { name: 'echo then sleep forever', argv: ['sh', '-c', 'echo ready; sleep infinity'], seconds: 60, want: ['0 ready'] },
    { name: 'variables, quoting and word splitting', argv: ['sh', '-c', `echo $GREETING   '$GREETING' "a  b" \${N}x`], want: ["0 hi there $GREETING a  b 5x"] },
    { name: "Kubernetes expands $(VAR) in args before the shell runs", argv: ['sh', '-c', 'echo "$(GREETING) k8s" $$N'], want: ['0 hi there k8s 5'] },
    { name: 'hostname, $HOSTNAME and date', argv: ['sh', '-c', 'hostname; echo $HOSTNAME; date'], want: ['0 counter', '1 counter', '2 Tue Nov 24 19:23:07 UTC 2026'] },
    { name: 'a delayed first line', argv: ['sh', '-c', 'sleep 2; echo late'], seconds: 5, want: ['2001 late'] },
    { name: 'sh -ec and &&', argv: ['sh', '-ec', 'echo one && echo two'], want: ['0 one', '1 two'] },
    { name: 'a pipe is not understood', argv: ['sh', '-c', 'echo a | grep a'], want: undefined },
    { name: 'a busy loop is not simulated', argv: ['sh', '-c', 'while true; do echo busy; done'], want: undefined },
    { name: 'a doubling counter is not linear', argv: ['sh', '-c', 'x=1; while true; do x=$((x*2)); echo $x; sleep 1; done'], want: undefined },
    { name: 'an unknown program', argv: ['nginx', '-g', 'daemon off;'], want: undefined },
    { name: 'a for loop', argv: ['sh', '-c', 'for i in 1 2; do echo $i; done'], want: undefined },
    { name: 'echo -n', argv: ['sh', '-c', 'echo -n x'], want: undefined },
    { name: 'an unterminated quote', argv: ['sh', '-c', 'echo "oops'], want: undefined },
    { name: 'no command at all', argv: [], want: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(printed(c.argv, c.seconds ?? 1), c.want));
  }

  it('jumps to iteration k without running the ones before', () => {
    const run = shellProgram(['sh', '-c', 'i=10; while true; do i=$((i+2)); echo "n=$i"; sleep 1; done'], context)!.run(start)!;
    assert.deepEqual(run.loop!.iteration(1000).map((l) => l.text), ['n=2012']);
    assert.equal(run.loop!.iteration(1000)[0]!.time, run.loop!.start + 1000 * run.loop!.periodMs + 1);
  });
});

describe('shell helpers', () => {
  it('expandKubernetesReferences leaves unknown references alone', () => {
    assert.equal(expandKubernetesReferences('$(A)-$(B)-$$(A)-$', { A: 'x' }), 'x-$(B)-$(A)-$');
  });
  it('arithmetic follows $(( )): integers, precedence, truncating division', () => {
    const cases: [string, bigint][] = [['1+2*3', 7n], ['(1+2)*3', 9n], ['i+1', 42n], ['$i - 50', -9n], ['7/2', 3n], ['-7/2', -3n], ['7%3', 1n], ['unset+1', 1n]];
    for (const [expr, want] of cases) assert.equal(arithmetic(expr, { i: '41' }), want, expr);
    assert.throws(() => arithmetic('1/0', {}));
    assert.throws(() => arithmetic('i++', { i: '1' }));
  });
  it('dateText pads the day with a space, as date(1) does', () => {
    assert.equal(dateText(Date.parse('2026-03-04T05:06:07Z')), 'Wed Mar  4 05:06:07 UTC 2026');
  });
});
