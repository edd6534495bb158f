/**
 * The typed helpers of `GoogleHealthClient`, one per Google Health API v4 method: users,
 * data points (with every page or an async iterator), roll-ups, paired devices, subscribers and
 * subscriptions. Each resolves the decoded value and rejects with the tagged error; the client
 * class adds the constructor, Google OAuth and the raw verbs on top.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import { GoogleDataPoints, GooglePairedDevices, GoogleSharedLinks, GoogleSubscribers, GoogleUsers } from "@fitbit-effect/core/google"
import type { GoogleDataTypes, GoogleHealthConfig, GoogleHealthHttp, GoogleOperation } from "@fitbit-effect/core/google"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as ClientRuntime from "./ClientRuntime.js"


/**
 * What a Google Health client's runtime provides.
 *
 * @since 0.1.0
 * @category models
 */
export type Services =
  | GoogleHealthConfig.GoogleHealthConfig
  | GoogleHealthHttp.GoogleHealthHttp
  | HttpClient.HttpClient

/**
 * The typed helpers over a Google Health runtime.
 *
 * @since 0.1.0
 * @category constructors
 */
export abstract class GoogleHealthResources extends ClientRuntime.PromiseClient<Services> {

  /** `users/me/identity`: the health user id and the legacy Fitbit user id. */
  getIdentity(accessToken: string): Promise<GoogleUsers.Identity> {
    return this.run(GoogleUsers.getIdentity(accessToken))
  }

  /** `users/{user}/profile`. */
  getProfile(accessToken: string, user?: string): Promise<GoogleUsers.Profile> {
    return this.run(GoogleUsers.getProfile(accessToken, { user }))
  }

  /** The user's irregular-rhythm-notification profile (`irn.readonly` scope). */
  getIrnProfile(accessToken: string, user?: string): Promise<GoogleUsers.IrnProfile> {
    return this.run(GoogleUsers.getIrnProfile(accessToken, { user }))
  }

  /** A SMART Health Link's manifest (`POST shl/m/{externalShlId}`; no access token: the link authorises). */
  getShlManifest(externalShlId: string, params: GoogleSharedLinks.ManifestParams): Promise<GoogleSharedLinks.Manifest> {
    return this.run(GoogleSharedLinks.getManifest(externalShlId, params))
  }

  /** One file of a SMART Health Link (`GET shl/r/{externalShlId}/{resourceToken}`): its JWE text. */
  getShlFile(externalShlId: string, resourceToken: string): Promise<GoogleSharedLinks.HttpBody> {
    return this.run(GoogleSharedLinks.getFile(externalShlId, resourceToken))
  }

  /** Opens a `shlink:/` link: manifest, every file fetched and decrypted with the link's key. */
  openSharedLink(link: string, params: GoogleSharedLinks.ManifestParams): Promise<ReadonlyArray<GoogleSharedLinks.DecryptedFile>> {
    return this.run(GoogleSharedLinks.open(link, params))
  }

  /** `users/{user}/settings`. */
  getSettings(accessToken: string, user?: string): Promise<GoogleUsers.Settings> {
    return this.run(GoogleUsers.getSettings(accessToken, { user }))
  }

  /** Updates profile fields (mask: the fields given, unless `updateMask`). */
  updateProfile(accessToken: string, profile: Partial<GoogleUsers.Profile>, updateMask?: string): Promise<GoogleUsers.Profile> {
    return this.run(GoogleUsers.updateProfile(accessToken, profile, { updateMask }))
  }

  /** Updates settings fields (mask: the fields given, unless `updateMask`). */
  updateSettings(accessToken: string, settings: Partial<GoogleUsers.Settings>, updateMask?: string): Promise<GoogleUsers.Settings> {
    return this.run(GoogleUsers.updateSettings(accessToken, settings, { updateMask }))
  }

  /** One page of data points. */
  listDataPoints(accessToken: string, dataType: GoogleDataTypes.DataTypeId, options?: GoogleDataPoints.ListOptions): Promise<GoogleDataPoints.DataPointsPage> {
    return this.run(GoogleDataPoints.list(accessToken, dataType, options))
  }

  /** Every data point of every page (follows `nextPageToken`). */
  listAllDataPoints(
    accessToken: string,
    dataType: GoogleDataTypes.DataTypeId,
    options?: Omit<GoogleDataPoints.ListOptions, "pageToken">
  ): Promise<Array<GoogleDataTypes.DataPoint>> {
    return this.run(Effect.map(Stream.runCollect(GoogleDataPoints.stream(accessToken, dataType, options)), Chunk.toArray))
  }

  /** Every data point as an async iterable, fetching pages as it is consumed. */
  iterateDataPoints(
    accessToken: string,
    dataType: GoogleDataTypes.DataTypeId,
    options?: Omit<GoogleDataPoints.ListOptions, "pageToken">
  ): AsyncIterable<GoogleDataTypes.DataPoint> {
    const runtime = this.managedRuntime
    const stream = GoogleDataPoints.stream(accessToken, dataType, options)
    return {
      [Symbol.asyncIterator]: (): AsyncIterator<GoogleDataTypes.DataPoint> => {
        const inner = runtime.runtime().then((rt) => Stream.toAsyncIterableRuntime(stream, rt)[Symbol.asyncIterator]())
        return {
          next: () => inner.then((it) => it.next()),
          return: (value?: unknown) =>
            inner.then((it) => it.return?.(value) ?? Promise.resolve({ done: true as const, value: undefined }))
        }
      }
    }
  }

  /** One identifiable data point by name or `{ dataType, id }`. */
  getDataPoint(accessToken: string, ref: Parameters<typeof GoogleDataPoints.get>[1]): Promise<GoogleDataTypes.DataPoint> {
    return this.run(GoogleDataPoints.get(accessToken, ref))
  }
  /** An exercise as a TCX document (needs an activity and a location read scope). */
  exportExerciseTcx(
    accessToken: string,
    ref: Parameters<typeof GoogleDataPoints.exportExerciseTcx>[1],
    options?: { readonly partialData?: boolean }
  ): Promise<string> {
    return this.run(GoogleDataPoints.exportExerciseTcx(accessToken, ref, options))
  }


  /**
   * Creates a data point from its typed value (`{ weightGrams, sampleTime }` for `weight`; see
   * `GoogleDataPoints.create`): checked and encoded before sending, refused for a type that does not
   * support `create`.
   */
  createDataPoint<K extends GoogleDataTypes.DataTypeId>(
    accessToken: string,
    dataType: K,
    value: GoogleDataPoints.WriteValue<K>,
    options?: GoogleDataPoints.CreateOptions
  ): Promise<GoogleOperation.Operation> {
    return this.run(GoogleDataPoints.create(accessToken, dataType, value, options))
  }

  /** Replaces an identifiable data point with a typed value (by `{ dataType, id }`, or by name; see `GoogleDataPoints.patch`). */
  patchDataPoint<K extends GoogleDataTypes.DataTypeId>(
    accessToken: string,
    ref: { readonly dataType: K; readonly id: string; readonly user?: string | undefined },
    value: GoogleDataPoints.WriteValue<K>,
    options?: GoogleDataPoints.WriteOptions
  ): Promise<GoogleOperation.Operation>
  patchDataPoint(
    accessToken: string,
    name: string,
    value: GoogleDataPoints.WriteValue<GoogleDataTypes.DataTypeId>,
    options?: GoogleDataPoints.WriteOptions
  ): Promise<GoogleOperation.Operation>
  patchDataPoint(
    accessToken: string,
    ref: string | { readonly dataType: GoogleDataTypes.DataTypeId; readonly id: string; readonly user?: string | undefined },
    value: GoogleDataPoints.WriteValue<GoogleDataTypes.DataTypeId>,
    options?: GoogleDataPoints.WriteOptions
  ): Promise<GoogleOperation.Operation> {
    return this.run(GoogleDataPoints.patch(accessToken, ref as string, value, options))
  }

  /** Deletes data points by name. */
  batchDeleteDataPoints(accessToken: string, names: ReadonlyArray<string>, dataType?: GoogleDataTypes.DataTypeId | "-"): Promise<GoogleOperation.Operation> {
    return this.run(GoogleDataPoints.batchDelete(accessToken, names, { dataType }))
  }

  /** Rolls data points up over physical windows. */
  rollUp(accessToken: string, dataType: GoogleDataTypes.DataTypeId, options: GoogleDataPoints.RollUpOptions): Promise<GoogleDataPoints.RollUpPage> {
    return this.run(GoogleDataPoints.rollUp(accessToken, dataType, options))
  }

  /** Every window of a roll-up over physical windows (follows `nextPageToken`). */
  rollUpAll(
    accessToken: string,
    dataType: GoogleDataTypes.DataTypeId,
    options: Omit<GoogleDataPoints.RollUpOptions, "pageToken">
  ): Promise<Array<GoogleDataTypes.RollupDataPoint>> {
    return this.run(Effect.map(Stream.runCollect(GoogleDataPoints.rollUpStream(accessToken, dataType, options)), Chunk.toArray))
  }

  /** Rolls data points up over civil days. */
  dailyRollUp(accessToken: string, dataType: GoogleDataTypes.DataTypeId, options: GoogleDataPoints.DailyRollUpOptions): Promise<GoogleDataPoints.RollUpPage> {
    return this.run(GoogleDataPoints.dailyRollUp(accessToken, dataType, options))
  }

  /** One page of reconciled data points. */
  reconcile(
    accessToken: string,
    dataType: GoogleDataTypes.DataTypeId,
    options?: GoogleDataPoints.ListOptions & GoogleDataPoints.SourceOptions
  ): Promise<GoogleDataPoints.DataPointsPage> {
    return this.run(GoogleDataPoints.reconcile(accessToken, dataType, options))
  }

  /** One page of paired devices. */
  listPairedDevices(accessToken: string, options?: GooglePairedDevices.ListOptions): Promise<GooglePairedDevices.PairedDevicesPage> {
    return this.run(GooglePairedDevices.list(accessToken, options))
  }

  /** One paired device. */
  getPairedDevice(accessToken: string, deviceId: string, user?: string): Promise<GooglePairedDevices.PairedDevice> {
    return this.run(GooglePairedDevices.get(accessToken, deviceId, { user }))
  }

  /** Registers a subscriber endpoint (Google verifies it first). */
  createSubscriber(
    accessToken: string,
    projectId: string,
    input: Parameters<typeof GoogleSubscribers.create>[2],
    subscriberId?: string
  ): Promise<GoogleOperation.Operation> {
    return this.run(GoogleSubscribers.create(accessToken, projectId, input, { subscriberId }))
  }

  /** Lists a project's subscribers (every page). */
  listSubscribers(accessToken: string, projectId: string): Promise<Array<GoogleSubscribers.Subscriber>> {
    return this.run(Effect.map(Stream.runCollect(GoogleSubscribers.stream(accessToken, projectId)), Chunk.toArray))
  }

  /** Updates a subscriber (mask: the fields given). */
  patchSubscriber(accessToken: string, name: string, input: GoogleSubscribers.SubscriberInput): Promise<GoogleOperation.Operation> {
    return this.run(GoogleSubscribers.patch(accessToken, name, input))
  }

  /** Deletes a subscriber (`force` deletes its subscriptions too). */
  deleteSubscriber(accessToken: string, name: string, force?: boolean): Promise<GoogleOperation.Operation> {
    return this.run(GoogleSubscribers.del(accessToken, name, { force }))
  }

  /** Subscribes a user's data types. */
  createSubscription(
    accessToken: string,
    subscriberName: string,
    input: Parameters<typeof GoogleSubscribers.createSubscription>[2],
    subscriptionId?: string
  ): Promise<GoogleSubscribers.Subscription> {
    return this.run(GoogleSubscribers.createSubscription(accessToken, subscriberName, input, { subscriptionId }))
  }

  /** Lists a subscriber's subscriptions (every page), optionally filtered. */
  listSubscriptions(accessToken: string, subscriberName: string, filter?: string): Promise<Array<GoogleSubscribers.Subscription>> {
    return this.run(Effect.map(Stream.runCollect(GoogleSubscribers.streamSubscriptions(accessToken, subscriberName, { filter })), Chunk.toArray))
  }

  /** Changes a subscription's data types. */
  patchSubscription(accessToken: string, name: string, dataTypes: ReadonlyArray<string>): Promise<GoogleSubscribers.Subscription> {
    return this.run(GoogleSubscribers.patchSubscription(accessToken, name, { dataTypes }))
  }

  /** Deletes a subscription. */
  deleteSubscription(accessToken: string, name: string): Promise<void> {
    return this.run(GoogleSubscribers.deleteSubscription(accessToken, name))
  }
}
