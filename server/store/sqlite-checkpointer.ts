/**
 * Runs SQLite's WAL checkpoints on a worker thread with its own connection, so the copy of WAL pages
 * into the database and its fsyncs never block the event loop (measured: an auto-checkpoint on the
 * request thread cost about 18% of throughput and most of the p99). The request connection keeps a
 * high auto-checkpoint as a safety net in case the worker stops.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

const WORKER_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 5000 });
const checkpoint = (mode) => { try { db.pragma("wal_checkpoint(" + mode + ")"); } catch {} };
const timer = setInterval(() => checkpoint("PASSIVE"), workerData.intervalMs);
parentPort.on("message", (message) => {
  if (message !== "stop") return;
  clearInterval(timer);
  checkpoint("TRUNCATE");
  db.close();
  parentPort.postMessage("stopped");
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, intervalMs = 250): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs } });
  worker.unref();
  worker.on("error", () => {}); // the safety-net auto-checkpoint takes over
  let stopped: Promise<void> | null = null;
  return {
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        const timeout = setTimeout(() => void worker.terminate().then(() => resolve()), 2000);
        worker.once("message", () => {
          clearTimeout(timeout);
          void worker.terminate().then(() => resolve());
        });
        worker.once("exit", () => {
          clearTimeout(timeout);
          resolve();
        });
        worker.postMessage("stop");
      });
      return stopped;
    },
  };
}
