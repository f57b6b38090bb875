import type { Command } from 'commander';

export function registerExec(program: Command): void {
  program
    .command('exec')
    .description('(not available yet)')
    .allowUnknownOption()
    .action(() => {
      throw new Error('the exec command is not available yet');
    });
}
