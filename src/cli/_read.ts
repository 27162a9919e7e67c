/**
 * Reading result documents and --jsonl streams back for the subcommands:
 * every failure is a `UsageError` (exit 2) that names the file and the path
 * inside it, whether the file is missing, cut short, not JSON or not valid.
 */
import { readFile } from "node:fs/promises";
import { JsonlError, type JsonlLine, parseJsonl } from "../report/jsonl.ts";
import { parseResult, type Result } from "../model/result.ts";
import { type ConformanceResult, parseConformance } from "../model/conformance-result.ts";
import { jsonStop } from "./_json-where.ts";
import { describeError } from "./errors.ts";
import { UsageError } from "./errors.ts";

export async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UsageError(`${file}: cannot read it (${code === "ENOENT" ? "no such file" : code ?? (error as Error).message})`);
  }
}

/** `line 3, column 14` for an offset, for editors that jump there. */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

function parseJsonText(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    if (text.trim() === "") throw new UsageError(`${file}: the file is empty; expected a wsstress result document (--json)`);
    const stop = jsonStop(text);
    const where = stop.path ? `inside ${stop.path}` : "at the top level";
    throw new UsageError(
      stop.truncated
        ? `${file}: cut short ${where} (${position(text, stop.offset)}): the file ends in the middle of the document`
        : `${file}: not valid JSON ${where} (${position(text, stop.offset)})`,
    );
  }
}

/** A stress result or a conformance document (`kind: "conformance"`), told apart and validated. */
export type AnyDocument = { kind: "result"; result: Result } | { kind: "conformance"; conformance: ConformanceResult };

export async function readDocument(file: string): Promise<AnyDocument> {
  const text = await readText(file);
  const json = parseJsonText(file, text);
  if ((json as { kind?: unknown })?.kind !== "conformance") return { kind: "result", result: resultFromText(file, text) };
  try {
    return { kind: "conformance", conformance: parseConformance(json) };
  } catch (error) {
    if ((error as Error)?.name !== "ValiError") throw error;
    throw new UsageError(`${file}: not a valid wsstress conformance document:\n  ${describeError(error as Error)}`);
  }
}

/** A result document from a `--json` file, validated with `parseResult`. */
export async function readResult(file: string): Promise<Result> {
  return resultFromText(file, await readText(file));
}

export function resultFromText(file: string, text: string): Result {
  const json = parseJsonText(file, text);
  try {
    return parseResult(json);
  } catch (error) {
    if ((error as Error)?.name !== "ValiError") throw error;
    throw new UsageError(`${file}: not a valid wsstress result document:\n  ${describeError(error as Error)}`);
  }
}

/** The lines of a `--jsonl` stream; a last line cut short is left out with a warning. */
export async function readJsonl(file: string): Promise<{ lines: JsonlLine[]; warnings: string[] }> {
  return jsonlFromText(file, await readText(file));
}

export function jsonlFromText(file: string, text: string): { lines: JsonlLine[]; warnings: string[] } {
  try {
    return parseJsonl(text);
  } catch (error) {
    if (error instanceof JsonlError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
}
