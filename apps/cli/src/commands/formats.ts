import type { Command } from 'commander';

export function registerFormats(program: Command): void {
  program
    .command('formats')
    .description('List the log format presets, each with an example line from its documentation.')
    .action(async () => {
      process.stdout.write(await formatsText());
    });
}

/** The presets as `logflow formats` prints them. */
export async function formatsText(): Promise<string> {
  const { PRESETS, printableExcerpt } = await import('@logflow/analyzer');
  const out: string[] = [];
  for (const preset of PRESETS) {
    out.push(`${preset.name}  ${preset.description}`);
    if (preset.formatString) out.push(`  ${preset.formatString.dialect}: ${preset.formatString.source}`);
    out.push(`  e.g. ${printableExcerpt(preset.example, 400)}`, '');
  }
  out.push(
    'Or give the format: --log-format (nginx log_format), --apache-format (Apache LogFormat), --json-fields (JSON names).',
    '',
  );
  return out.join('\n');
}
