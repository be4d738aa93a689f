#!/usr/bin/env node
'use strict';
// The `crawlguard` command. It runs the TypeScript sources through tsx, so `npx crawlguard` works
// right after `npm install` with no build step to remember.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs');
require('../lambdas/handlers/cli/process.ts').runFromProcess();
