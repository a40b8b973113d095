/**
 * The baseline of `npm run bench:ws`: a bare `ws` server (noServer, same maxPayload, no authentication)
 * that sends `{"type":"admitted"}` on connection. Prints "listening <port>"; SIGUSR2 prints memory.
 */
import http from "node:http";
import { WebSocketServer } from "ws";

const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024, perMessageDeflate: false });
const server = http.createServer((_req, res) => res.writeHead(404).end());
server.on("upgrade", (req, socket, head) => {
  socket.on("error", () => socket.destroy());
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.on("error", () => {});
    ws.send(JSON.stringify({ type: "admitted" }));
  });
});
process.on("SIGUSR2", () => {
  (globalThis as { gc?: () => void }).gc?.();
  process.stderr.write(`${JSON.stringify({ memory: process.memoryUsage(), sockets: wss.clients.size })}\n`);
});
process.on("SIGTERM", () => process.exit(0));
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === "object" && address ? address.port : 0}\n`);
});
