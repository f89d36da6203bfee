// A migrated embedded store in a temporary data folder, for tests that run SQL in their own
// process (chdb allows one data folder per process).
import { mkdtempSync, rmSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { migrate } from '../../ingest/src/adapters/clickhouse/migrate.js';
import { openStore, type Store } from '../../ingest/src/adapters/clickhouse/store.js';

export interface TempStore {
  store: Store;
  dataDir: string;
  /** Closes the store and deletes its folder. */
  dispose(): Promise<void>;
}

export async function openTempStore(database: string): Promise<TempStore> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `${database.replaceAll('_', '-')}-`));
  const store = await openStore({
    storage: 'embedded',
    dataDir,
    clickhouse: { url: '', user: '', password: '', database },
  });
  await migrate(store);
  return {
    store,
    dataDir,
    async dispose() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A test file's temp store: opened before its tests (handed to `set`), disposed after them.
 * Call at the top level of the file.
 */
export function useTempStore(database: string, set: (store: Store) => void): void {
  let temp: TempStore | undefined;
  beforeAll(async () => {
    temp = await openTempStore(database);
    set(temp.store);
  });
  afterAll(() => temp?.dispose());
}
