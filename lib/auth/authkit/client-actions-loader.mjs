/**
 * A Turbopack loader (next.config.js, `turbopack.rules`) that replaces the source
 * of authkit-nextjs' `dist/esm/actions.js` — the server actions its client
 * components import — with a re-export of the app's: ./client-actions.ts says
 * why, and when to delete both files. Sign-out is the app's own action (its
 * sign-out hooks run), named in the options: { actions, signOut: { module, name } },
 * absolute paths.
 */
import path from 'node:path';

/** @this {{ getOptions(): { actions: string; signOut: { module: string; name: string } }; resourcePath: string }} */
export default function authkitClientActions() {
  const { actions, signOut } = this.getOptions();
  // A relative specifier from the replaced file, as authkit's own import would be.
  const from = (file) => JSON.stringify(path.relative(path.dirname(this.resourcePath), file).split(path.sep).join('/'));
  return [
    `// authkit-nextjs' actions.js, replaced at build time by lib/auth/authkit/client-actions-loader.mjs.`,
    `export * from ${from(actions)};`,
    `export { ${signOut.name} as handleSignOutAction } from ${from(signOut.module)};`,
    '',
  ].join('\n');
}
