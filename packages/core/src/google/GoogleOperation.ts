/**
 * Google's long-running `Operation`, which the Health API answers to writes (data-point
 * create, patch and batch delete; subscriber create, patch and delete).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * An operation's error (`google.rpc.Status`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Status = Schema.Struct({
  code: Schema.optional(Schema.Number),
  message: Schema.optional(Schema.String),
  details: Schema.optional(Schema.Array(Schema.Unknown))
})

/**
 * A long-running operation: `done`, and then either `error` or `response`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Operation = Schema.Struct({
  name: Schema.optional(Schema.String),
  done: Schema.optional(Schema.Boolean),
  error: Schema.optional(Status),
  metadata: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  response: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
})

/**
 * A decoded operation.
 *
 * @since 0.1.0
 * @category models
 */
export type Operation = Schema.Schema.Type<typeof Operation>

/**
 * The empty message (`google.protobuf.Empty`), answered by deletes.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Empty = Schema.Union(Schema.Undefined, Schema.Record({ key: Schema.String, value: Schema.Unknown }))
