"use strict";
// `require("@fitbit-effect/node/fitbit-node")` answers the class itself, like `require("fitbit-node")`.
module.exports = require("./index.cjs").FitbitApiClient;
