/**
 * The legacy Fitbit Web API answered from the Google Health API v4: the `FitbitHttp` layer
 * (`LegacyOnGoogle`), the table of supported paths (`Routes`), and the handlers by family.
 *
 * @since 0.1.0
 */

/** `FitbitHttp` over Google Health, the scope map and the 501 answers. */
export * as LegacyOnGoogle from "./LegacyOnGoogle.js"
/** Every supported legacy path, and the closest Google method of the others. */
export * as Routes from "./Routes.js"
