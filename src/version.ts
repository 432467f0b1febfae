import { version } from '../package.json';
import identity from './identity.json';

/**
 * Who the provider is, in one place: the version from package.json, the rest from identity.json,
 * which the Makefile reads too. The codegen, the CLI's setup, the release code and the tests take
 * their names from here.
 */
export const VERSION: string = version;
export const USER_AGENT = `dodb/${version}`;

/** The provider's type name: the prefix of its resource types and the `dodb` in its binary's name. */
export const PROVIDER_TYPE: string = identity.type;
/** The short source address, as `required_providers` writes it. */
export const PROVIDER_SOURCE = `${identity.namespace}/${identity.type}`;
/** Registry host and namespace: the part a CLI configuration's `include` and `exclude` match. */
export const PROVIDER_NAMESPACE = `${identity.hostname}/${identity.namespace}`;
/** The full source address; Terraform's schemas, mirrors and lock files spell it out in full. */
export const PROVIDER_ADDRESS = `${PROVIDER_NAMESPACE}/${identity.type}`;
/** Every platform the mirror and the release hold: the provider is the same Node files on each. */
export const PLATFORMS: readonly string[] = identity.platforms;

/** The provider's executable, as Terraform finds it in a mirror or a plugin cache. */
export const providerBinary = (v = VERSION) => `terraform-provider-${PROVIDER_TYPE}_v${v}`;
/** A release file: `terraform-provider-dodb_<version>_<suffix>` (`linux_amd64.zip`, `SHA256SUMS`). */
export const releaseFile = (suffix: string, v = VERSION) => `terraform-provider-${PROVIDER_TYPE}_${v}_${suffix}`;
