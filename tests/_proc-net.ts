/**
 * The kernel's view of a server process, on Linux: which of its sockets it
 * still holds (`/proc/net/tcp`, `/proc/net/tcp6`) and its memory
 * (`/proc/PID/status`). A server that has closed a connection but never torn
 * it down keeps its socket, ESTABLISHED or half-closed, with the socket's
 * buffers. https://www.kernel.org/doc/Documentation/networking/proc_net_tcp.txt
 */
import { readFileSync } from "node:fs";

const LISTEN = "0A";

/**
 * Sockets on local port `port` (the server's side of each connection, not the listener) that a process
 * still owns: a socket the process has let go of keeps inode 0 while the kernel finishes it (FIN_WAIT, TIME_WAIT).
 */
export function heldOn(port: number): number {
  let n = 0;
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(file, "utf8").split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && cols[3] !== LISTEN && cols[9] !== "0" && parseInt(cols[1].split(":")[1], 16) === port) n++;
    }
  }
  return n;
}

/** Resident set size and its peak (VmRSS, VmHWM) of a process, in bytes. */
export function rssOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kib("VmRSS"), peak: kib("VmHWM") };
}
