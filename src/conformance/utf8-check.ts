/** Whether bytes are valid UTF-8, with the standard decoder in its fatal mode (every runtime has it). */
const fatal = new TextDecoder("utf-8", { fatal: true });

export function validUtf8(bytes: Uint8Array): boolean {
  try {
    fatal.decode(bytes);
    return true;
  } catch {
    return false;
  }
}
