/**
 * The NetworkAddress name for `address` (canonical text) in `network`: `<network>.<address>`, IPv6 with ':'
 * written '-' and a '0' added where the result would start or end with '-'. Addresses of one network never
 * share a name (subnets of a network never overlap), and names of different networks never meet.
 */
export function addressObjectName(network: string, address: string): string {
  if (!address.includes(':')) return `${network}.${address}`;
  let text = address.replaceAll(':', '-');
  if (text.startsWith('-')) text = `0${text}`;
  if (text.endsWith('-')) text = `${text}0`;
  return `${network}.${text}`;
}
