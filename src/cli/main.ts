import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ipamCommand } from './ipam-plan.ts';
import { operatorCommand } from './operator.ts';
import { policyCommand } from './policy.ts';
import { tenantCommand } from './tenant.ts';
import { apiserverCommand, upCommand } from './up.ts';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export function program(
  write: (text: string) => void = (text) => process.stdout.write(text),
  writeError: (text: string) => void = (text) => process.stderr.write(text),
): Command {
  const io = { write, writeError, version };
  return new Command('nso')
    .description(
      'Network Services Operator: declarative, provider-agnostic virtual networks managed with kubectl\n' +
        '(networking.datumapis.com/v1alpha1: Network, NetworkContext, SubnetClaim, Subnet, NetworkBinding, NetworkPolicy)',
    )
    .version(version)
    .showHelpAfterError()
    .exitOverride()
    .addCommand(upCommand(io))
    .addCommand(apiserverCommand(io))
    .addCommand(operatorCommand(io))
    .addCommand(tenantCommand(io))
    .addCommand(policyCommand(io))
    .addCommand(ipamCommand(write));
}

/** Runs the CLI and returns the process exit code; the composition root for every subcommand. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    // What a command refuses is said in one line; a stack helps only the developer who asks for it.
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.NSO_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    return 1;
  }
}
