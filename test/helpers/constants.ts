import { SEED_CLUSTERS } from '../../src/simulator/store';
import { MAGIC_COOKIE, MAGIC_COOKIE_KEY } from '../../src/tfplugin/wire/cookie';

/** The values several tests share, each defined once. */

const seeded = (engine: string) => SEED_CLUSTERS.find((c) => c.engine === engine)!.id;

/** The simulator's seeded PostgreSQL cluster: the target of every migration in the tests. */
export const CLUSTER = seeded('pg');
/** The simulator's seeded Valkey cluster. */
export const VALKEY_CLUSTER = seeded('valkey');

/** The source database of the tests' migrations (the API's field names). */
export const SOURCE = {
  host: 'db.example.com',
  port: 5432,
  dbname: 'app',
  username: 'replicator',
  password: 'pw-Secret-42',
};

/** The environment entry Terraform sets when it starts a plugin (go-plugin's magic cookie). */
export const COOKIE = { [MAGIC_COOKIE_KEY]: MAGIC_COOKIE };

/** A well-formed token for servers that check none (never a real one). */
export const TEST_TOKEN = 'dop_v1_test';

/** An endpoint where nothing listens (the discard port): for runs that must stop before any request. */
export const NO_API = { url: 'http://127.0.0.1:9', token: TEST_TOKEN };
