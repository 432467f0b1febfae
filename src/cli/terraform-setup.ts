import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lockEntry, mergeLockFile, normalizedConstraint } from '../release/lock-file';
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
 * The version constraint the configuration in `dir` gives the provider (`required_providers` in a `.tf`
 * or `.tf.json` file, as a CDKTF synth writes it), which Terraform expects the lock file to repeat:
 * a lock entry with other constraints makes `terraform init` rewrite it.
 */
export function configuredConstraint(dir: string): string | undefined {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => /\.tf(\.json)?$/.test(f)) : [];
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    const blocks = file.endsWith('.json')
      ? Object.values(JSON.parse(text)?.terraform?.required_providers ?? {}).map((p) => JSON.stringify(p))
      : [...text.matchAll(/=\s*\{([^{}]*)\}/g)].map((m) => m[1]!);
    for (const block of blocks) {
      if (!/"?source"?\s*[=:]\s*"(registry\.terraform\.io\/)?dodb\/dodb"/i.test(block)) continue;
      const version = /"?version"?\s*[=:]\s*"([^"]*)"/.exec(block)?.[1];
      if (version) return version;
    }
  }
  return undefined;
}

/**
 * `dodb lock`: write (or update) DIR/.terraform.lock.hcl with every platform's hashes of this provider.
 * For a CDKTF app DIR is the stack's folder, cdktf.out/stacks/<stack>: synth keeps the file there.
 */
export const lockCommand: Command = {
  name: 'lock',
  synopsis: [`[--dir DIR] [--constraints "${VERSION}"]`],
  notes: [
    "lock writes DIR/.terraform.lock.hcl with the provider's hashes for every platform, and the version constraint --constraints gives, else the one DIR's configuration gives, else the installed version.",
  ],
  run(args, io, usage) {
    const flags = parseFlags(usage, args, {
      dir: { type: 'string', default: '.' },
      constraints: { type: 'string' },
    });
    const dir = resolve(flags.dir);
    const given = flags.constraints ?? configuredConstraint(dir) ?? VERSION;
    const constraints = normalizedConstraint(given);
    if (constraints === undefined) {
      const examples = `"${VERSION}" or "~> 0.1"`;
      const from = flags.constraints === undefined ? `the version of ${PROVIDER_SOURCE} in ${dir}` : '--constraints';
      throw new UsageError(
        `${from} must be a Terraform version constraint such as ${examples} (got "${given}")`,
        usage,
      );
    }
    const packages = platformPackages(mirrorDir(), VERSION);
    mkdirSync(dir, { recursive: true }); // a CDKTF stack's folder may not be synthesized yet
    const file = join(dir, '.terraform.lock.hcl');
    const existing = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    writeFileSync(file, mergeLockFile(existing, lockEntry(VERSION, constraints, packages)));
    return print(
      io,
      `wrote ${file}: ${PROVIDER_ADDRESS} ${VERSION} with h1: and zh: hashes for ${PLATFORMS.join(', ')}`,
    );
  },
};
