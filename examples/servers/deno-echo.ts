// A plain Deno.serve echo server. Prints its URL; PORT picks the port (8081 by default).
Deno.serve({
  hostname: "127.0.0.1",
  port: Number(Deno.env.get("PORT") ?? 8081),
  onListen: ({ port }) => console.log(`ws://127.0.0.1:${port}/`),
}, (req) => {
  if (req.headers.get("upgrade") !== "websocket") return new Response("WebSocket only\n", { status: 426 });
  // a client that offers subprotocols must get one of them back, or it drops the connection
  const offered = req.headers.get("sec-websocket-protocol")?.split(",").map((p) => p.trim()) ?? [];
  const { socket, response } = Deno.upgradeWebSocket(req, offered.includes("echo.v1") ? { protocol: "echo.v1" } : {});
  socket.onmessage = (event) => socket.send(event.data);
  return response;
});
