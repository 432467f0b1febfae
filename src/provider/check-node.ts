import { nodeTooOld } from '../node-version';

/**
 * First of the launcher's imports, so that it runs before any other code. Terraform shows the first
 * line a plugin writes to stdout when it is not a handshake ("Unrecognized remote plugin message"),
 * and never the plugin's stderr unless logging is on: the reason goes to both.
 */
const tooOld = nodeTooOld('the dodb provider');
if (tooOld) {
  process.stdout.write(`${tooOld}\n`);
  process.stderr.write(`${tooOld}\n`);
  process.exit(1);
}
