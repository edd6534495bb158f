"use strict";
// `require("@fitbit-effect/node/fitbit-node")` answers the class itself, like `require("fitbit-node")`.
// It loads one self-contained file (effect and core inlined, tree-shaken; see tsup.bundle.config.ts),
// so a fitbit-node user's start-up does not read effect's whole module graph.
module.exports = require("./fitbit-node.bundle.cjs").default;
