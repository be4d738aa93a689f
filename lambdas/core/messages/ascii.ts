/** SMS and email subjects must be plain ASCII: carriers mangle the rest, SNS refuses it in subjects. */
const REPLACEMENTS: Record<string, string> = {
  '→': '->',
  '←': '<-',
  '↳': '>',
  '…': '...',
  '—': '-',
  '–': '-',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '•': '*',
  '●': '*',
};

/** Plain printable ASCII on one line: common punctuation spelled out, accents dropped, the rest as `?`. */
export function toAscii(text: string): string {
  return text
    .replace(/[→←↳…—–‘’“”•●]/g, (c) => REPLACEMENTS[c] ?? '?')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '?');
}

/** Cut to `max` characters, ending with `...` when cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 3)).trimEnd()}...`;
}
