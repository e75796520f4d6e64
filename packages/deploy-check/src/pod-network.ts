// Preloaded (`node -r`) into a service started for a kwok pod. In a real pod, 0.0.0.0 is the
// pod's own network namespace, reachable at the pod IP only; here every process shares the
// machine's network, so a wildcard listen (the admin servers of sequencer and delivery) is bound
// to the pod IP given in POD_IP instead. Nothing else changes.
import net from 'node:net';

const podIp = process.env.POD_IP;
const wildcard = new Set([undefined, null, '', '0.0.0.0', '::']);

if (podIp) {
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function patchedListen(this: net.Server, ...args: unknown[]) {
    const [first] = args;
    if (typeof first === 'object' && first !== null && !('_handle' in first) && ('port' in first || 'host' in first)) {
      const options = first as net.ListenOptions;
      if (wildcard.has(options.host)) args[0] = { ...options, host: podIp };
    } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      if (typeof args[1] === 'function' || args.length === 1) args.splice(1, 0, podIp);
      else if (wildcard.has(args[1] as string | undefined)) args[1] = podIp;
    }
    return (listen as (...a: unknown[]) => net.Server).apply(this, args);
  } as typeof net.Server.prototype.listen;
}
