#!/usr/bin/env node
console.log("calm bin ok", process.argv.slice(2));
