/**
 * The server's side of a case's connection, read as RFC 6455 and 7692 say a
 * client must: frames split from the byte stream, each checked (unmasked,
 * no reserved opcode or bit without an extension, control frames whole and
 * short, continuations only inside a message), messages assembled, inflated
 * when compressed and checked for UTF-8. What it finds goes to the sink; the
 * first violation ends the reading.
 */
import type { DeflateCodec } from "./deflate-extension.ts";
import { concatBytes, type Frame, FrameDecoder, OPCODE } from "./frame-codec.ts";
import { validUtf8 } from "./utf8-check.ts";

export type StreamSink = {
  /** each frame as it came, before any check */
  frame(frame: Frame): void;
  ping(payload: Uint8Array): void;
  pong(payload: Uint8Array): void;
  message(binary: boolean, data: Uint8Array): void;
  close(payload: Uint8Array): void;
  violation(problem: string): void;
};

type Message = { opcode: number; compressed: boolean; parts: Uint8Array[]; size: number };

export class ServerStream {
  readonly #decoder: FrameDecoder;
  readonly #maxBytes: number;
  readonly #codec: DeflateCodec | undefined;
  readonly #sink: StreamSink;
  #message?: Message;
  /** the server's close frame came: any frame after it is a violation */
  #closed = false;
  #failed = false;

  constructor(maxBytes: number, codec: DeflateCodec | undefined, sink: StreamSink) {
    this.#decoder = new FrameDecoder(maxBytes);
    this.#maxBytes = maxBytes;
    this.#codec = codec;
    this.#sink = sink;
  }

  push(chunk: Uint8Array): void {
    if (this.#failed) return;
    let frames: Frame[];
    try {
      frames = this.#decoder.push(chunk);
    } catch (error) {
      return this.#violate((error as Error).message);
    }
    for (const frame of frames) {
      if (this.#failed) return;
      this.#sink.frame(frame);
      this.#frame(frame);
    }
  }

  #frame(frame: Frame): void {
    if (this.#closed) return this.#violate("the server sent a frame after its close frame");
    if (frame.masked) return this.#violate("the server masked a frame (RFC 6455 §5.1: a server must not)");
    if ((frame.opcode > 2 && frame.opcode < 8) || frame.opcode > 10) {
      return this.#violate(`the server used reserved opcode ${frame.opcode}`);
    }
    if (frame.opcode >= 8 && (!frame.fin || frame.payload.length > 125)) {
      return this.#violate("the server sent a fragmented or oversized control frame");
    }
    const starts = frame.opcode === OPCODE.text || frame.opcode === OPCODE.binary;
    const compressed = starts && frame.rsv === 4 && this.#codec !== undefined;
    if (frame.rsv !== 0 && !compressed) {
      return this.#violate(`the server set reserved bits ${frame.rsv} without an extension that defines them`);
    }
    if (frame.opcode === OPCODE.ping) return this.#sink.ping(frame.payload);
    if (frame.opcode === OPCODE.pong) return this.#sink.pong(frame.payload);
    if (frame.opcode === OPCODE.close) {
      this.#closed = true;
      return this.#sink.close(frame.payload);
    }
    if (starts === (this.#message !== undefined)) {
      return this.#violate(
        starts ? "the server began a message inside another one" : "the server sent a continuation frame with no message to continue",
      );
    }
    const message = (this.#message ??= { opcode: frame.opcode, compressed, parts: [], size: 0 });
    message.parts.push(frame.payload);
    message.size += frame.payload.length;
    if (message.size > this.#maxBytes) return this.#violate(`a message past the checker's ${this.#maxBytes} bytes`);
    if (frame.fin) this.#end(message);
  }

  #end(message: Message): void {
    this.#message = undefined;
    let data = concatBytes(message.parts);
    if (message.compressed) {
      try {
        data = this.#codec!.decompress(data, this.#maxBytes);
      } catch (error) {
        return this.#violate(`the server's compressed message does not inflate: ${(error as Error).message}`);
      }
    }
    const binary = message.opcode === OPCODE.binary;
    if (!binary && !validUtf8(data)) return this.#violate("the server sent a text message that is not valid UTF-8");
    this.#sink.message(binary, data);
  }

  #violate(problem: string): void {
    this.#failed = true;
    this.#sink.violation(problem);
  }
}
