#!/usr/bin/env node
// The emulator's command: runs the built CLI (`pnpm --filter @fitbit-effect/emulator build` first).
import "../dist/cli.js"
