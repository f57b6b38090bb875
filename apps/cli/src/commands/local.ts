import type { Command } from 'commander';

export function registerLocal(program: Command): void {
  program
    .command('local')
    .description('(not available yet)')
    .allowUnknownOption()
    .action(() => {
      throw new Error('the local command is not available yet');
    });
}
