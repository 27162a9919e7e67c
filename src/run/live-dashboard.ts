/**
 * The live dashboard of a run (`.dashboard()`, `--dashboard [PORT]`): a page
 * served on loopback through the host's HTTP ability, kept current over
 * server-sent events while the run goes, and replaced by the final report
 * (the page `--html` writes) when it ends. It reads nothing of the run but
 * its progress events, and draws only when a browser is watching.
 */
import { inputError } from "../model/input-error.ts";
import type { ProgressListener } from "../model/progress-events.ts";
import type { HttpReply, HttpRequest } from "../model/runtime-contract.ts";
import { dashboardPage, dashboardParts } from "../report/dashboard-page.ts";
import { createReport } from "../report/run-report.ts";
import { LiveView } from "./live-view.ts";
import type { Platform } from "./platform.ts";

export type DashboardOptions = {
  /** 0 for any free port; 5665 by default (k6's dashboard's) */
  port?: number;
  /** listen on every interface, not only loopback */
  allowRemote?: boolean;
};

export const DEFAULT_DASHBOARD_PORT = 5665;

export type Dashboard = {
  url: string;
  /** whether it listens beyond loopback */
  remote: boolean;
  /** feeds it the run's events */
  listener: ProgressListener;
  /** ends every stream (after the final report, once the run has ended) and stops listening */
  close(): Promise<void>;
};

/** events that change the page come in bursts (a suite ends, the next starts): they are drawn together */
const PUSH_DELAY_MS = 100;
/** a draw costs milliseconds of the loading process (npm run bench) and progress ticks twice a second: the page is redrawn once */
export const DRAW_INTERVAL_MS = 1_000;
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** A port as the dashboard takes it, or the input formatter's line. */
export function checkDashboardPort(port: unknown, subject: string): number {
  if (typeof port === "number" && Number.isInteger(port) && port >= 0 && port <= 65_535) return port;
  throw inputError(subject, `${JSON.stringify(port)} is not a port`, "an integer from 0 (any free port) to 65535");
}

const event = (name: string, data: string): string => `event: ${name}\n${data.split("\n").map((line) => `data: ${line}`).join("\n")}\n\n`;

export async function startDashboard(platform: Platform, options: DashboardOptions = {}): Promise<Dashboard> {
  if (!platform.serveHttp) throw new RangeError("dashboard: this platform cannot serve HTTP; run on this machine's platform (stress())");
  const port = checkDashboardPort(options.port ?? DEFAULT_DASHBOARD_PORT, "dashboard port");
  const remote = options.allowRemote === true;
  const view = new LiveView();
  const streams = new Set<{ write(chunk: string): void; end(): void }>();
  let finalHtml: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let levelsSent = 0;
  let drawnAt = -Infinity;

  const push = (): void => {
    timer = undefined;
    drawnAt = performance.now();
    let chunk: string;
    try {
      chunk = event("view", JSON.stringify(dashboardParts(view.run, { levels: view.levelsVersion !== levelsSent })));
      levelsSent = view.levelsVersion;
    } catch (error) {
      // a page that cannot be drawn must not stop the run that feeds it (this runs from a timer): the page says why
      chunk = event("notice", `wsstress could not draw the dashboard: ${(error as Error).message}`);
    }
    for (const s of streams) s.write(chunk);
  };
  const finish = (): void => {
    clearTimeout(timer);
    push();
    finalHtml = createReport(view.result!).html();
    for (const s of streams) s.write(event("report", finalHtml)), s.end();
    streams.clear();
  };

  const handle = (request: HttpRequest): HttpReply => {
    // a page on loopback must not answer a name that only resolves there (DNS rebinding)
    if (!remote && !LOOPBACK_HOSTS.has(request.host.replace(/:\d+$/, ""))) {
      return text(403, "wsstress dashboard: served to loopback names only");
    }
    if (request.method !== "GET") return text(405, "wsstress dashboard: GET only");
    if (request.path === "/") return { status: 200, type: "text/html; charset=utf-8", body: finalHtml ?? dashboardPage(view.run) };
    if (request.path === "/report") {
      return finalHtml ? { status: 200, type: "text/html; charset=utf-8", body: finalHtml } : text(404, "the run has not ended");
    }
    // browsers ask for one whatever the page says
    if (request.path === "/favicon.ico") return { status: 204, type: "image/x-icon", body: "" };
    if (request.path !== "/events") return text(404, "not found");
    return {
      stream(write, end) {
        if (finalHtml) return write(event("report", finalHtml)), end(), () => {};
        const stream = { write, end };
        streams.add(stream);
        write(event("view", JSON.stringify(dashboardParts(view.run))));
        return () => streams.delete(stream);
      },
    };
  };

  const server = await platform.serveHttp({ host: remote ? "0.0.0.0" : "127.0.0.1", port }, handle);
  return {
    url: server.url,
    remote,
    listener(e) {
      if (!view.apply(e)) return;
      if (e.type === "run-end") return finish();
      // nobody watching: nothing drawn; a browser that connects gets the page as it is then
      if (streams.size > 0) timer ??= setTimeout(push, Math.max(PUSH_DELAY_MS, drawnAt + DRAW_INTERVAL_MS - performance.now()));
    },
    async close() {
      clearTimeout(timer);
      await server.close();
    },
  };
}

function text(status: number, body: string): HttpReply {
  return { status, type: "text/plain; charset=utf-8", body: `${body}\n` };
}
