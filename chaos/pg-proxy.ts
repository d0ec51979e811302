/**
 * A TCP proxy in front of PostgreSQL, so the suite can make the database unavailable to the API and the worker without
 * touching the server other people use: `cut()` drops every open connection and refuses new ones, `restore()` listens
 * again.
 */
import net from 'node:net';

export interface PgProxy {
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPgProxy(target: { host: string; port: number }, port = 0): Promise<PgProxy> {
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };
  const server = () =>
    net.createServer((client) => {
      const upstream = net.connect(target.port, target.host);
      track(client);
      track(upstream);
      client.pipe(upstream).pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.once('error', end);
      upstream.once('error', end);
      client.once('close', end);
      upstream.once('close', end);
    });

  let listening: net.Server | undefined;
  const listen = async (onPort: number) => {
    const s = server();
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(onPort, '127.0.0.1', () => resolve());
    });
    listening = s;
    return (s.address() as net.AddressInfo).port;
  };
  const close = async () => {
    const s = listening;
    listening = undefined;
    for (const socket of sockets) socket.destroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  const boundPort = await listen(port);
  return {
    port: boundPort,
    cut: close,
    restore: async () => {
      if (!listening) await listen(boundPort);
    },
    stop: close,
  };
}
