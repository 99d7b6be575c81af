// `npm run lint`: no import circle in lib/ — the flow's folders depend one way (docs/architecture.md, The map).
// Here rather than as ESLint's import/no-cycle, which found the same circles in 23 s of ESLint's 29 (2 cores).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [{ name: 'no-circular', severity: 'error', from: { path: '^lib/' }, to: { circular: true } }],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    // Type-only imports vanish at build time, so they cannot form a circle at run time.
    tsPreCompilationDeps: false,
  },
};
