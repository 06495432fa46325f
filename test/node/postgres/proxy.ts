/**
 * A TCP relay on 127.0.0.1 in front of the test server, that a test can cut (close the port and
 * every connection through it, as a network outage does) and restore (listen again on the same
 * port). Bytes pass untouched: it is a wire, not a database double.
 */
import net from "node:net";

export class TcpRelay {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async open(): Promise<void> {
    const server = net.createServer((down) => {
      const up = net.connect(this.targetPort, this.targetHost);
      this.sockets.add(down);
      this.sockets.add(up);
      const drop = (): void => {
        down.destroy();
        up.destroy();
        this.sockets.delete(down);
        this.sockets.delete(up);
      };
      down.on("error", drop).on("close", drop);
      up.on("error", drop).on("close", drop);
      down.pipe(up);
      up.pipe(down);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => {
        server.off("error", reject);
        const addr = server.address();
        if (typeof addr === "object" && addr !== null) this.port = addr.port;
        resolve();
      });
    });
    this.server = server;
  }

  /** Stop listening (connections are refused) and cut every connection through the relay. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
