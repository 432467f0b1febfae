import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lockEntry, mergeLockFile } from '../release/lock-file';
import { mirrorDir, platformPackages } from '../release/provider-package';
import { PLATFORMS, PROVIDER_ADDRESS, PROVIDER_NAMESPACE, PROVIDER_SOURCE, VERSION } from '../version';
import { type Command, UsageError, parseFlags, print } from './command';

/** A CLI configuration that installs the provider from the package's mirror and every other provider as usual. */
export function cliConfiguration(mirror: string): string {
  return `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirror)}
    include = ["${PROVIDER_NAMESPACE}/*"]
  }
  direct {
    exclude = ["${PROVIDER_NAMESPACE}/*"]
  }
}
`;
}

/** `dodb terraformrc`: print the CLI configuration for this installation, or write it to --out. */
export const terraformrcCommand: Command = {
  name: 'terraformrc',
  synopsis: ['[--out FILE]'],
  notes: [
    `terraformrc prints (or writes) a Terraform CLI configuration that installs ${PROVIDER_SOURCE} from this package's mirror.`,
  ],
  run(args, io, usage) {
    const { out } = parseFlags(usage, args, { out: { type: 'string' } });
    const mirror = mirrorDir();
    platformPackages(mirror, VERSION); // fails with a clear message when the mirror is not built
    const config = cliConfiguration(mirror);
    if (out === undefined) {
      io.stdout.write(config);
      return 0;
    }
    if (out === '') throw new UsageError('--out needs a file name', usage);
    const file = resolve(out);
    writeFileSync(file, config);
    return print(io, `wrote ${file}\nexport TF_CLI_CONFIG_FILE=${file}`);
  },
};

/**
 * `dodb lock`: write (or update) DIR/.terraform.lock.hcl with every platform's hashes of this provider.
 * For a CDKTF app DIR is the stack's folder, cdktf.out/stacks/<stack>: synth keeps the file there.
 */
export const lockCommand: Command = {
  name: 'lock',
  synopsis: [`[--dir DIR] [--constraints "${VERSION}"]`],
  notes: ["lock writes DIR/.terraform.lock.hcl with the provider's hashes for every platform."],
  run(args, io, usage) {
    const flags = parseFlags(usage, args, {
      dir: { type: 'string', default: '.' },
      constraints: { type: 'string', default: VERSION },
    });
    const dir = resolve(flags.dir);
    if (!/^[\s0-9a-z.,<>=!~-]+$/i.test(flags.constraints)) {
      const examples = `"${VERSION}" or "~> 0.1"`;
      throw new UsageError(
        `--constraints must be a Terraform version constraint such as ${examples} (got "${flags.constraints}")`,
        usage,
      );
    }
    const packages = platformPackages(mirrorDir(), VERSION);
    mkdirSync(dir, { recursive: true }); // a CDKTF stack's folder may not be synthesized yet
    const file = join(dir, '.terraform.lock.hcl');
    const existing = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    writeFileSync(file, mergeLockFile(existing, lockEntry(VERSION, flags.constraints, packages)));
    return print(
      io,
      `wrote ${file}: ${PROVIDER_ADDRESS} ${VERSION} with h1: and zh: hashes for ${PLATFORMS.join(', ')}`,
    );
  },
};
