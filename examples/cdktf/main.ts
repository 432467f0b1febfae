import { App } from 'cdktf';
import { MigrationStack } from './stack';

// `make synth` runs this with node: cdktf.out/stacks/dodb-example/cdk.tf.json (HCL with SYNTH_HCL_OUTPUT=true).
const app = new App();
new MigrationStack(app, 'dodb-example');
app.synth();
