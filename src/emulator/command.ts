// Placeholder until the emulator lands (issue 3).
export async function runEmulatorCommand(_argv: string[]): Promise<void> {
  throw new Error('the emulator is not built yet');
}
