// The TLS options a Node client may give for `wss://` and `https://` links (a private CA,
// a client certificate): passed as they are to Node's tls.connect. Browsers use the
// page's trust store and take none of these.
import type { ConnectionOptions } from 'node:tls';

export type NodeTlsOptions = Pick<ConnectionOptions, 'ca' | 'cert' | 'key' | 'passphrase' | 'pfx' | 'servername' | 'rejectUnauthorized' | 'minVersion'>;
