import { Command } from 'commander';
import { createPrefixPool, formatPrefix, type Prefix, parsePrefix } from '../ipam/index.ts';

export interface PlanOutput {
  readonly pool: readonly string[];
  readonly subnets: readonly {
    readonly request: string;
    readonly cidr?: string;
    readonly refused?: string;
  }[];
  readonly stats: { readonly size: string; readonly allocated: string; readonly available: string };
}

/** What a network's blocks would hand out to a sequence of claims, in order, with the allocator nso runs. */
export function plan(blocks: readonly string[], requests: readonly string[]): PlanOutput | { error: string } {
  const parsed: Prefix[] = [];
  for (const block of blocks) {
    const result = parsePrefix(block);
    if (!result.ok) return { error: result.message };
    parsed.push(result.value);
  }
  const created = createPrefixPool(parsed);
  if (!created.ok) return { error: created.message };
  const { pool } = created;
  const subnets = requests.map((request, i) => {
    if (request.includes('/') && !request.startsWith('/')) {
      const cidr = parsePrefix(request);
      if (!cidr.ok) return { request, refused: cidr.message };
      const reserved = pool.reserve(cidr.value, `request-${i + 1}`);
      return reserved.ok
        ? { request, cidr: formatPrefix(reserved.prefix) }
        : { request, refused: reserved.message };
    }
    if (!/^\/?[0-9]+$/.test(request)) {
      return { request, refused: `"${request}" is neither a prefix length (24 or /24) nor a CIDR block` };
    }
    const allocated = pool.allocate(Number(request.replace('/', '')), `request-${i + 1}`);
    return allocated.ok
      ? { request, cidr: formatPrefix(allocated.prefix) }
      : { request, refused: allocated.message };
  });
  const stats = pool.stats();
  return {
    pool: parsed.map(formatPrefix),
    subnets,
    stats: { size: `${stats.size}`, allocated: `${stats.allocated}`, available: `${stats.available}` },
  };
}

export function ipamCommand(write: (text: string) => void): Command {
  const ipam = new Command('ipam').description('address planning with the allocator nso runs');
  ipam
    .command('plan')
    .description('show the subnets a sequence of claims would get from a network, in order')
    .requiredOption('--block <cidr...>', "the network's CIDR blocks (one family)")
    .option('-o, --output <format>', 'text or json', 'text')
    .argument('<request...>', 'prefix lengths (24 or /24) or explicit CIDRs (10.0.5.0/24), in claim order')
    .addHelpText('after', '\nExample:\n  nso ipam plan --block 10.100.0.0/16 -- 24 24 25')
    .action((requests: string[], options: { block: string[]; output: string }) => {
      const result = plan(options.block, requests);
      if ('error' in result) {
        write(`error: ${result.error}\n`);
        process.exitCode = 1;
        return;
      }
      if (options.output === 'json') write(`${JSON.stringify(result, null, 2)}\n`);
      else {
        const width = Math.max(7, ...result.subnets.map((s) => s.request.length)) + 2;
        write(`${'REQUEST'.padEnd(width)}SUBNET\n`);
        for (const s of result.subnets)
          write(`${s.request.padEnd(width)}${s.cidr ?? `refused: ${s.refused}`}\n`);
        write(
          `\n${result.pool.join(', ')}: ${result.stats.allocated} of ${result.stats.size} addresses allocated\n`,
        );
      }
      if (result.subnets.some((s) => s.refused)) process.exitCode = 1;
    });
  return ipam;
}
