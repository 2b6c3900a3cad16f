#!/usr/bin/env node
// Thin launcher: Node.js >= 22.18 runs the TypeScript sources directly (type stripping).
import { main } from '../src/cli/main.ts';

const code = await main(process.argv.slice(2));
process.exitCode = code;
