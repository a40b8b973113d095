/**
 * The host's custom server: Next for the pages, and two SMS-gated sockets on the same port with textgate/ws
 * in remote mode (the textgate server at TEXTGATE_URL texts the codes and the YES question). Who opens a
 * socket is read from this app's next-auth session cookie (NEXTAUTH_SECRET), sockets come only from
 * NEXTAUTH_URL's origin, and a signed-out upgrade is refused with 401 before any handshake.
 *
 *   NODE_ENV=production PORT=3000 TEXTGATE_URL=… TEXTGATE_KEY=… NEXTAUTH_URL=… NEXTAUTH_SECRET=… node server.mjs
 */
import http from "node:http";
import next from "next";
import { confirmReply, createSocketGate, defineSession, sendToken } from "textgate/ws";

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "127.0.0.1";
for (const name of ["TEXTGATE_URL", "TEXTGATE_KEY", "NEXTAUTH_URL", "NEXTAUTH_SECRET"]) {
  if (!process.env[name]) throw new Error(`next-host: set ${name}`);
}

const app = next({ dev: process.env.NODE_ENV !== "production", hostname, port });
await app.prepare();
const handle = app.getRequestHandler();
const server = http.createServer((req, res) => {
  // No proxy in front: the client's address is the connection's. Next keeps an X-Forwarded-For the client
  // sent (it fills the header in only when missing), and textgate/next-auth's per-IP limit reads it.
  req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "unknown";
  void handle(req, res);
});

/** Admitted sockets get their messages echoed. */
const echo = (socket, data) => socket.send(data);
const endpoints = [
  defineSession({ path: "/ws/token", connect: [sendToken()], onMessage: echo }),
  defineSession({ path: "/ws/confirm", connect: [confirmReply()], onMessage: echo }),
];
const SOCKET_PATHS = new Set(endpoints.map((endpoint) => endpoint.path));
const gate = createSocketGate({ textgate: { baseUrl: process.env.TEXTGATE_URL, apiKey: process.env.TEXTGATE_KEY }, endpoints }).attach(server);
// Other upgrades (Next's hot reload in development) go to Next: the gate leaves them to this listener.
const upgrade = app.getUpgradeHandler();
server.on("upgrade", (req, socket, head) => {
  if (!SOCKET_PATHS.has(new URL(req.url ?? "/", "http://localhost").pathname)) void upgrade(req, socket, head);
});

server.listen(port, hostname, () => console.log(`next-host listening on http://${hostname}:${port}`));

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    server.close();
    void gate.close().finally(() => process.exit(0));
  });
}
