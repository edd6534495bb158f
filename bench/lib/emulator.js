// Emulator throughput: placeholder until @fitbit-effect/emulator lands.
export const measureEmulator = async () => ({ skipped: "emulator not built yet" })
