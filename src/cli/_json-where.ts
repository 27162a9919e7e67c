/**
 * Where a JSON text stops being valid, as a path into the document: a result
 * cut short names the field it was cut in (`levels.1.suites.0.histograms`),
 * which says more than `JSON.parse`'s byte offset, whose wording also
 * differs between runtimes. Only called once `JSON.parse` has failed.
 */

export type JsonStop = {
  /** dot path of the innermost value being read, "" at the top level */
  path: string;
  offset: number;
  /** the text ended inside a value: the file was cut short */
  truncated: boolean;
};

class Stop extends Error {}

const LITERAL = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

export function jsonStop(text: string): JsonStop {
  let i = 0;
  const path: Array<string | number> = [];
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const expect = (c: string) => {
    ws();
    if (text[i] !== c) throw new Stop();
    i++;
  };
  const string = (): string => {
    const start = i;
    if (text[i] !== '"') throw new Stop();
    for (i++; i < text.length && text[i] !== '"'; i += text[i] === "\\" ? 2 : 1);
    if (i >= text.length) throw new Stop();
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  // each container loops over its members; `path` holds the member being read
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      i++;
      ws();
      if (text[i] === close) return void i++;
      for (let n = 0;; n++) {
        ws();
        if (c === "{") {
          path.push(string());
          expect(":");
        } else path.push(n);
        value();
        path.pop();
        ws();
        if (text[i] === close) return void i++;
        expect(",");
      }
    }
    if (c === '"') return void string();
    LITERAL.lastIndex = i;
    const m = LITERAL.exec(text);
    if (!m) throw new Stop();
    i += m[0].length;
  };
  try {
    value();
    ws();
    if (i < text.length) throw new Stop(); // something after the document
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
  }
  return { path: path.join("."), offset: i, truncated: i >= text.length };
}
