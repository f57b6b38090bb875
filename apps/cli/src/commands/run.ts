import type { Command } from 'commander';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('(not available yet)')
    .allowUnknownOption()
    .action(() => {
      throw new Error('the run command is not available yet');
    });
}
