#!/usr/bin/env node
import { processIo } from './cli/cli-io.ts';
import { runCli } from './cli/run-cli.ts';

const code = await runCli(process.argv.slice(2), processIo());
// Exit now: pooled keep-alive sockets to providers would otherwise hold the process open.
process.exit(code);
