/**
 * Why a template cannot be parsed or executed, before it is turned into a ProwError naming the setting.
 * `hint` lists what the template could have used instead (fields or functions); `offset` locates the fault.
 */
export class TemplateFault extends Error {
  readonly offset: number | undefined;
  readonly hint: string | undefined;

  constructor(why: string, offset?: number, hint?: string) {
    super(why);
    this.name = 'TemplateFault';
    this.offset = offset;
    this.hint = hint;
  }
}

/** `line L, column C` of `offset` in `text`, both counted from 1 as Go's parser reports them. */
export function describePosition(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}
