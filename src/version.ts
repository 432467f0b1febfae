import { version } from '../package.json';

export const VERSION: string = version;
export const USER_AGENT = `dodb/${version}`;

/** The provider's source address; Terraform's schemas, mirrors and lock files spell it out in full. */
export const PROVIDER_ADDRESS = 'registry.terraform.io/dodb/dodb';
