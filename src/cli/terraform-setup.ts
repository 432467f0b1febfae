import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { lockEntry, mergeLockFile } from '../release/lock-file';
import { PLATFORMS, PROVIDER_ADDRESS, mirrorDir, platformPackages } from '../release/provider-package';
import { VERSION } from '../version';
import { UsageError } from './args';

export const SETUP_USAGE = `  dodb terraformrc [--out FILE]
  dodb lock [--dir DIR] [--constraints "${VERSION}"]`;

interface Output {
  stdout: { write(text: string): unknown };
}

/** A CLI configuration that installs dodb/dodb from the package's mirror and every other provider as usual. */
export function cliConfiguration(mirror: string): string {
  return `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirror)}
    include = ["registry.terraform.io/dodb/*"]
  }
  direct {
    exclude = ["registry.terraform.io/dodb/*"]
  }
}
`;
}

/** `dodb terraformrc`: print the CLI configuration for this installation, or write it to --out. */
export function terraformrc(args: string[], io: Output, usage: string): number {
  const { values } = parseArgs({ args, strict: true, options: { out: { type: 'string' } } });
  const mirror = mirrorDir();
  platformPackages(mirror, VERSION); // fails with a clear message when the mirror is not built
  const config = cliConfiguration(mirror);
  if (values.out === undefined) {
    io.stdout.write(config);
    return 0;
  }
  if (values.out === '') throw new UsageError('--out needs a file name', usage);
  const file = resolve(values.out);
  writeFileSync(file, config);
  io.stdout.write(`wrote ${file}\nexport TF_CLI_CONFIG_FILE=${file}\n`);
  return 0;
}

/**
 * `dodb lock`: write (or update) DIR/.terraform.lock.hcl with every platform's hashes of this provider.
 * For a CDKTF app DIR is the stack's folder, cdktf.out/stacks/<stack>: synth keeps the file there.
 */
export function lock(args: string[], io: Output, usage: string): number {
  const { values } = parseArgs({ args, strict: true, options: { dir: { type: 'string', default: '.' }, constraints: { type: 'string', default: VERSION } } });
  const dir = resolve(values.dir);
  if (!/^[\s0-9a-z.,<>=!~-]+$/i.test(values.constraints)) throw new UsageError(`--constraints must be a Terraform version constraint such as "${VERSION}" or "~> 0.1" (got "${values.constraints}")`, usage);
  const packages = platformPackages(mirrorDir(), VERSION);
  mkdirSync(dir, { recursive: true }); // a CDKTF stack's folder may not be synthesized yet
  const file = join(dir, '.terraform.lock.hcl');
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  writeFileSync(file, mergeLockFile(existing, lockEntry(VERSION, values.constraints, packages)));
  io.stdout.write(`wrote ${file}: ${PROVIDER_ADDRESS} ${VERSION} with h1: and zh: hashes for ${PLATFORMS.join(', ')}\n`);
  return 0;
}
