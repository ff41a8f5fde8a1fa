import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ipamCommand } from './ipam-plan.ts';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export function program(write: (text: string) => void = (text) => process.stdout.write(text)): Command {
  return new Command('nso')
    .description(
      'Network Services Operator: declarative, provider-agnostic virtual networks managed with kubectl\n' +
        '(networking.datumapis.com/v1alpha1: Network, NetworkContext, SubnetClaim, Subnet, NetworkBinding, NetworkPolicy)',
    )
    .version(version)
    .showHelpAfterError()
    .exitOverride()
    .addCommand(ipamCommand(write));
}

/** Runs the CLI and returns the process exit code; the composition root for every subcommand. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
}
