#!/usr/bin/env node
// `npx calm …` from the project root, with no build: registers tsx (TypeScript on the fly) and runs the CLI in
// bot/src/cli/main.ts. The exit code is set, not forced, so output is flushed before the process ends.
"use strict";

const path = require("node:path");
const { register } = require("tsx/cjs/api");

register();
const { main } = require(path.join(__dirname, "..", "bot", "src", "cli", "main.ts"));

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`calm: failed unexpectedly: ${error && error.message ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
