import type { Command } from 'commander';

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description('(not available yet)')
    .allowUnknownOption()
    .action(() => {
      throw new Error('the analyze command is not available yet');
    });
}
