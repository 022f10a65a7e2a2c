/**
 * Clients of other languages and tools (boto3, the AWS CLI) run as processes against a test's server, with fixed
 * credentials and no instance-metadata lookups, asynchronously: the server under test shares this event loop, so
 * spawnSync would hang.
 */
import { execFile, spawnSync } from 'node:child_process';

export const hasBoto3 = spawnSync('python3', ['-c', 'import boto3'], { stdio: 'ignore' }).status === 0;
export const hasAwsCli = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;

export interface ClientRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command` with `args`, its default region `region`; resolves with its exit status and output. */
export function runClient(command: string, args: readonly string[], region = 'eu-west-1'): Promise<ClientRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'AKID',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_DEFAULT_REGION: region,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return runProcess(command, args, env, 60_000);
}

/** Runs a process with this environment; resolves with its exit status (null if killed) and output. */
export function runProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ClientRun> {
  return new Promise((resolve) => {
    execFile(command, args, { env, encoding: 'utf8', timeout: timeoutMs }, (error, stdout, stderr) => {
      resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
}
