import type { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { DodbProvider } from 'dodb/provider';

export class ProviderExample extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    // The token comes from DIGITALOCEAN_TOKEN; set apiEndpoint to a `dodb simulator` for tests.
    new DodbProvider(this, 'dodb', { httpRetryMax: 4 });
  }
}
