/*
 * `npm install` runs this first (preinstall), and .ci/run asks it whether the
 * machine's Node will do. The code runs `.ts` files with plain `node` (and
 * next.config.js imports `.ts`), which needs type stripping on by default:
 * Node 22.18+ or 23.6+. On an older Node the install would only warn, and the
 * first script would die with ERR_UNKNOWN_FILE_EXTENSION and a stack trace.
 *
 * Deliberately old-fashioned JavaScript (CommonJS, var, no arrows or template
 * strings) so that even a very old Node can run it to print the one line.
 */
'use strict';

/** Must match "engines" in package.json (a unit test checks). */
var ENGINES_RANGE = '^22.18.0 || >=23.6.0';

function isSupportedNodeVersion(version) {
  var parts = String(version).replace(/^v/, '').split('.');
  var major = Number(parts[0]);
  var minor = Number(parts[1]);
  if (isNaN(major) || isNaN(minor)) return false;
  return major >= 24 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);
}

function unsupportedNodeMessage(version) {
  return (
    'This project needs Node.js 22.18 or newer (24 recommended), not ' +
    version +
    ': ' +
    'run `nvm install && nvm use` (both read .nvmrc) or get Node 24 from https://nodejs.org, then run the command again.'
  );
}

module.exports = {
  ENGINES_RANGE: ENGINES_RANGE,
  isSupportedNodeVersion: isSupportedNodeVersion,
  unsupportedNodeMessage: unsupportedNodeMessage,
};

if (require.main === module && !isSupportedNodeVersion(process.version)) {
  console.error(unsupportedNodeMessage(process.version));
  process.exit(1);
}
