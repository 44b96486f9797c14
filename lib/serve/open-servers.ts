/** Servers started by serve() in this process, so that shutdown() closes every one of them. */
const open = new Set<{ close(): Promise<void> }>();

export function trackServer(server: { close(): Promise<void> }): void {
  open.add(server);
}

export function untrackServer(server: { close(): Promise<void> }): void {
  open.delete(server);
}

/** Closes every server serve() started here (each lets its requests in flight finish first, bounded). */
export async function closeAllServers(): Promise<void> {
  await Promise.all([...open].map((server) => server.close()));
}
