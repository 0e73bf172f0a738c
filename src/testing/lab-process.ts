/**
 * `everynode up` as a child process (through tsx, from the source tree), for tests of the command itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');

export interface LabProcess {
  child: ChildProcess;
  url: string;
  stdout: string;
  exited: Promise<number | null>;
}

/** Starts `everynode up --port 0` with its data and kubeconfig in `dir`; resolves at its ready line. */
export async function startLabProcess(dir: string, extra: string[] = []): Promise<LabProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'up', '--port', '0', '--data', join(dir, 'data'), '--kubeconfig', join(dir, 'kubeconfig'), ...extra],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within 20 s\nstdout: ${stdout}\nstderr: ${stderr}`)), 20_000);
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const match = /ready at (http:\/\/\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ready\nstderr: ${stderr}`));
    });
  });
  return { child, url, stdout, exited };
}
