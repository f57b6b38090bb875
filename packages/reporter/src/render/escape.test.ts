import { describe, expect, it } from 'vitest';
import { escapeHtml, markdownCode, stripControl, truncate } from './escape.js';

describe('escapeHtml', () => {
  it('escapes markup and quotes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('neutralises control characters', () => {
    expect(escapeHtml('a\u001b[31mb\nc\td')).toBe('a\uFFFD[31mb\uFFFDc d');
  });
});

describe('markdownCode', () => {
  it('wraps text in a code span and escapes table pipes', () => {
    expect(markdownCode('/a|b')).toBe('`/a\\|b`');
  });

  it('fences backticks with a longer run', () => {
    expect(markdownCode('a`b``c')).toBe('```a`b``c```');
    expect(markdownCode('`x')).toBe('`` `x ``');
  });

  it('keeps newlines out so a value cannot start a new table row', () => {
    expect(markdownCode('a\n| b |')).not.toContain('\n');
  });

  it('renders an empty value as a blank code span', () => {
    expect(markdownCode('')).toBe('` `');
  });
});

describe('truncate', () => {
  it('cuts on code points and marks the cut', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('😀😀😀', 2)).toBe('😀…');
    expect(truncate('abc', 3)).toBe('abc');
  });
});

describe('stripControl', () => {
  it('leaves printable text unchanged', () => {
    expect(stripControl('GET /ü?q=1 HTTP/1.1')).toBe('GET /ü?q=1 HTTP/1.1');
  });
});
