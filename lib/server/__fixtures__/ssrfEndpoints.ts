/**
 * Endpoint forms a provider could register on-chain to make the app's routes reach somewhere they must not.
 * Shared by the unit test of the guard and the on-chain test through the routes.
 *
 * `loopbackEndpoints(port)` all point at a listener on loopback that counts connections (the tests expect
 * zero): they may be relayed, since a guard that failed would only reach the test's own listener.
 * `remoteEndpoints` point elsewhere (private ranges, the cloud metadata address, multicast…): the tests only
 * ever parse them and assert the refusal, never relay them, so a broken guard sends nothing anywhere.
 */
export const loopbackEndpoints = (port: number) => [
  `http://127.0.0.1:${port}`,
  `http://localhost:${port}`,
  `http://LOCALHOST:${port}`,
  `http://sub.localhost:${port}`,
  `http://2130706433:${port}`,
  `http://0x7f000001:${port}`,
  `http://0177.0.0.1:${port}`,
  `http://127.1:${port}`,
  `http://0x7f.1:${port}`,
  `http://0x7f.0x0.0x0.0x1:${port}`,
  `http://017700000001:${port}`,
  `http://127.000.000.001:${port}`,
  `http://[::1]:${port}`,
  `http://[::ffff:127.0.0.1]:${port}`,
  `http://[::ffff:7f00:1]:${port}`,
  `http://[0:0:0:0:0:ffff:127.0.0.1]:${port}`,
  `http://[::127.0.0.1]:${port}`,
  `http://0.0.0.0:${port}`,
  `http://0:${port}`,
  // IPv4 carried in hex: IPv4-compatible (::/96) and IPv4-translated (::ffff:0:0/96) forms of 127.0.0.1.
  `http://[::7f00:1]:${port}`,
  `http://[0:0:0:0:0:0:7f00:1]:${port}`,
  `http://[::ffff:0:7f00:1]:${port}`,
  `http://[::ffff:0:127.0.0.1]:${port}`,
  `http://[0::FFFF:7F00:0001]:${port}`,
  `http://vm:${port}`,
  `http://runsc:${port}`, // names that resolve to loopback on these machines: refused at lookup
  `gopher://127.0.0.1:${port}`,
];

export const remoteEndpoints = [
  "http://10.0.0.1",
  "http://172.16.0.1",
  "http://172.31.255.254",
  "http://192.168.1.1",
  "http://100.64.0.1",
  "http://169.254.169.254/latest/meta-data/",
  "http://[::ffff:a9fe:a9fe]/",
  "http://[fe80::1]",
  "http://[fc00::1]",
  "http://[fd12:3456::1]",
  "http://224.0.0.1",
  "http://255.255.255.255",
  "http://[::]",
  "http://[64:ff9b::7f00:1]",
  "http://[2002:7f00:1::]",
  "http://192.0.2.2",
  // The cloud metadata address and private space carried in hex IPv6, and deprecated site-local IPv6.
  "http://[::a9fe:a9fe]/",
  "http://[::ffff:0:a9fe:a9fe]/",
  "http://[::169.254.169.254]/",
  "http://[::a00:1]/",
  "http://[::ffff:0:c0a8:101]/",
  "http://[fec0::1]/",
  "http://[fec0:0:0:ffff::1]/",
  "http://[feff::1]/",
  "ftp://example.com",
  "file:///etc/passwd",
  "http://user:pass@example.com",
  "javascript:alert(1)",
  "not a url",
];

export const hostileEndpoints = (port: number) => [...loopbackEndpoints(port), ...remoteEndpoints];
