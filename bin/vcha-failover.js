#!/usr/bin/env node
// Launcher of the `vcha-failover` CLI: the built CLI when present (`npm run build`), else the
// TypeScript source through tsx (a development checkout).
const { existsSync } = require('node:fs');
const path = require('node:path');

const built = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
if (existsSync(built)) {
  require(built);
} else {
  require('tsx/cjs');
  require(path.join(__dirname, '..', 'src', 'cli', 'main.ts'));
}
