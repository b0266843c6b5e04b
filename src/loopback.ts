// Loopback names, shared by the CLI (defaults) and the HTTP listener (checks) without loading either.
export const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
export const isLoopback = (host: string) => ['localhost', '::1', '[::1]'].includes(host) || host.startsWith('127.');
