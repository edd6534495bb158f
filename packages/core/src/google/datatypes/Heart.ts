/**
 * Heart data types: `heart-rate`, `daily-resting-heart-rate`, `heart-rate-variability`,
 * `daily-heart-rate-variability`, `daily-heart-rate-zones`, and the medical-device readings
 * `electrocardiogram` and `irregular-rhythm-notification`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { CalendarDate, CivilDateTime, count, Int64, num, optBool, optInt64, optNum, SampleTime, str, TimeInterval } from "./Values.js"

/**
 * `heart-rate`: one heart-rate sample.
 *
 * @since 0.1.0
 * @category data types
 */
export const HeartRate = Schema.Struct({
  beatsPerMinute: count,
  sampleTime: SampleTime,
  metadata: Schema.optional(Schema.Struct({ motionContext: str, sensorLocation: str }))
})

/**
 * `daily-resting-heart-rate`: one day's resting heart rate.
 *
 * @since 0.1.0
 * @category data types
 */
export const DailyRestingHeartRate = Schema.Struct({
  beatsPerMinute: count,
  date: CalendarDate,
  dailyRestingHeartRateMetadata: Schema.optional(Schema.Struct({ calculationMethod: str }))
})

/**
 * `heart-rate-variability`: one HRV sample (RMSSD / SDNN in milliseconds).
 *
 * @since 0.1.0
 * @category data types
 */
export const HeartRateVariability = Schema.Struct({
  rootMeanSquareOfSuccessiveDifferencesMilliseconds: Schema.optional(Schema.Number),
  standardDeviationMilliseconds: Schema.optional(Schema.Number),
  /** The power of interbeat-interval fluctuations per frequency band (googleapis 188). */
  metadata: Schema.optional(Schema.Struct({
    /** High band, 0.15–0.4 Hz. */
    highFrequencyPower: Schema.optional(Schema.Number),
    /** Low band, 0.04–0.15 Hz. */
    lowFrequencyPower: Schema.optional(Schema.Number)
  })),
  sampleTime: SampleTime
})

/**
 * `daily-heart-rate-variability`: one day's HRV summary.
 *
 * @since 0.1.0
 * @category data types
 */
export const DailyHeartRateVariability = Schema.Struct({
  date: CalendarDate,
  averageHeartRateVariabilityMilliseconds: Schema.optional(Schema.Number),
  nonRemHeartRateBeatsPerMinute: Schema.optional(Int64),
  entropy: Schema.optional(Schema.Number),
  deepSleepRootMeanSquareOfSuccessiveDifferencesMilliseconds: Schema.optional(Schema.Number)
})

/**
 * `daily-heart-rate-zones`: one day's heart-rate zone bounds (`FAT_BURN`, `CARDIO`, `PEAK`, …).
 *
 * @since 0.1.0
 * @category data types
 */
export const DailyHeartRateZones = Schema.Struct({
  date: CalendarDate,
  heartRateZones: Schema.optional(Schema.Array(Schema.Struct({
    heartRateZoneType: str,
    minBeatsPerMinute: optInt64,
    maxBeatsPerMinute: optInt64
  })))
})

/**
 * The versions of the medical-device software behind an ECG or an irregular-rhythm notification.
 *
 * @since 0.1.0
 * @category data types
 */
export const MedicalDeviceInfo = Schema.Struct({
  algorithmVersion: str,
  deviceModel: str,
  featureVersion: str,
  firmwareVersion: str,
  serviceVersion: str
})

/**
 * `electrocardiogram`: one ECG recording: the classification, the waveform and its scaling.
 *
 * @since 0.1.0
 * @category data types
 */
export const Electrocardiogram = Schema.Struct({
  interval: TimeInterval,
  resultClassification: str,
  beatsPerMinuteAvg: optInt64,
  leadNumber: optNum,
  samplingFrequencyHertz: optNum,
  millivoltsScalingFactor: optNum,
  /** Raw samples; multiply by `millivoltsScalingFactor` for millivolts. */
  waveformSamples: Schema.optional(Schema.Array(Schema.Number)),
  medicalDeviceInfo: Schema.optional(MedicalDeviceInfo)
})

/**
 * One heartbeat of an irregular-rhythm alert window.
 *
 * @since 0.1.0
 * @category data types
 */
export const HeartBeat = Schema.Struct({
  beatsPerMinute: num,
  physicalTime: str,
  utcOffset: str,
  civilTime: Schema.optional(CivilDateTime)
})

/**
 * `irregular-rhythm-notification`: an AFib notification with its alert windows and beats.
 *
 * @since 0.1.0
 * @category data types
 */
export const IrregularRhythmNotification = Schema.Struct({
  interval: TimeInterval,
  alertWindows: Schema.optional(Schema.Array(Schema.Struct({
    startTime: str,
    endTime: str,
    startUtcOffset: str,
    endUtcOffset: str,
    civilStartTime: Schema.optional(CivilDateTime),
    civilEndTime: Schema.optional(CivilDateTime),
    positive: optBool,
    heartBeats: Schema.optional(Schema.Array(HeartBeat))
  }))),
  medicalDeviceInfo: Schema.optional(MedicalDeviceInfo)
})
