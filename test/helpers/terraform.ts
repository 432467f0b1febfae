import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { PROVIDER_SOURCE, PROVIDER_TYPE } from '../../src/version';
import { type Child, type Finished, start } from './child';
import { CLUSTER, SOURCE } from './constants';
import { ROOT, scratchDir, terraformEnv } from './project';

export type TfResult = Finished;

export interface Workspace {
  dir: string;
  env: NodeJS.ProcessEnv;
  write(files: Record<string, string>): void;
  run(args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<TfResult>;
  /** Start terraform and hand back the running child (for signals and its output as it comes): see ./child. */
  start(args: string[], extraEnv?: NodeJS.ProcessEnv): Child;
  state(): Record<string, any>;
}

export const PROVIDER_BLOCK = `terraform {
  required_providers {
    ${PROVIDER_TYPE} = { source = "${PROVIDER_SOURCE}" }
  }
}
`;

/** A folder with its own terraform configuration, talking to the given API endpoint. */
export function workspace(
  t: ExecutionContext,
  api: { url: string; token: string },
  options: { cliConfig?: string } = {},
): Workspace {
  const dir = scratchDir(t, 'tf');
  const env = terraformEnv(options.cliConfig ?? join(ROOT, 'dist/terraformrc'), {
    DIGITALOCEAN_API_URL: api.url,
    DIGITALOCEAN_TOKEN: api.token,
    TF_INPUT: '0',
    NO_COLOR: '1',
  });
  delete env.TF_LOG;
  const terraform = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    start(t, 'terraform', [...args, ...(args[0] === 'version' ? [] : ['-no-color'])], {
      cwd: dir,
      env: { ...env, ...extraEnv },
    });
  return {
    dir,
    env,
    write(files) {
      for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    },
    run: (args, extraEnv) => terraform(args, extraEnv).done,
    start: terraform,
    state() {
      return JSON.parse(readFileSync(join(dir, 'terraform.tfstate'), 'utf8'));
    },
  };
}

export function migrationConfig(
  options: { cluster?: string; waitFor?: string; extra?: string; source?: string } = {},
): string {
  return `${PROVIDER_BLOCK}
variable "source_password" {
  type      = string
  sensitive = true
  default   = "${SOURCE.password}"
}

resource "dodb_online_migration" "m" {
  cluster_id = "${options.cluster ?? CLUSTER}"
  source {
${
  options.source ??
  `    host     = "${SOURCE.host}"
    port     = ${SOURCE.port}
    db_name  = "${SOURCE.dbname}"
    username = "${SOURCE.username}"
    password = var.source_password`
}
  }
  ignore_dbs = ["scratch"]
  wait_for   = "${options.waitFor ?? 'syncing'}"
${options.extra ?? ''}
}
`;
}

export function resourceInstance(
  state: Record<string, any>,
  type = 'dodb_online_migration',
): Record<string, any> | undefined {
  return state.resources?.find((r: { type: string; mode: string }) => r.type === type && r.mode === 'managed')
    ?.instances?.[0];
}

export async function initialized(t: ExecutionContext, ws: Workspace): Promise<void> {
  const init = await ws.run(['init']);
  t.is(init.code, 0, init.output);
}

/** Files for one `block` (such as `resource "dodb_online_migration" "m"`) per cluster, `body` inside each. */
export function perCluster(clusters: string[], block: string, body = ''): Record<string, string> {
  return {
    'main.tf': `${PROVIDER_BLOCK}
variable "clusters" { type = list(string) }

${block} {
  for_each   = toset(var.clusters)
  cluster_id = each.value
${body}}
`,
    'terraform.tfvars.json': JSON.stringify({ clusters }),
  };
}
