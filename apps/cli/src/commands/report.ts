import type { Command } from 'commander';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('(not available yet)')
    .allowUnknownOption()
    .action(() => {
      throw new Error('the report command is not available yet');
    });
}
