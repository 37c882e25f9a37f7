// Placeholder until the emulator lands (issue 3): the interface the server uses.
export interface EmulatorHandle {
  url: string;
  close(): Promise<void>;
}
export async function startEmulator(_opts: { host: string; port: number }): Promise<EmulatorHandle> {
  throw new Error('the emulator is not built yet');
}
