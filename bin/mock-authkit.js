#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/ (built by `npm install` through the `prepare` script).
import('../dist/cli.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
    console.error('mock-authkit: not built yet; run `npm run build` (npm install does it through "prepare").');
  } else {
    console.error(`mock-authkit: ${error && error.message ? error.message : error}`);
  }
  process.exit(1);
});
